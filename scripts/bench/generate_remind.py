#!/usr/bin/python3
"""Generate the reminder benchmark's database (scripts/bench.sh remind; docs/performance.md).

1,000,000 open actions (not started or in progress) across 50,000 owners, at --scale 1: 1,000 engagements of
100 recommendations with 10 actions each; due dates spread evenly over 400 days either side of the sweep day,
~10% with a co-owner, ~5% with an approved revised date; 500 line managers; 50 governance groups, each with a
chair and a secretary, overseeing the actions. Deterministic for a given --seed. The schema is created by the
real binary (`govtrack migrate`); rows go in with executemany in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import subprocess
import sys
import uuid


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True)
    ap.add_argument("--govtrack", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--day", default="2026-03-30", help="the sweep day the due dates are spread around")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    ids = lambda: str(uuid.UUID(int=rnd.getrandbits(128), version=4))  # noqa: E731
    subprocess.run([a.govtrack, "--db", "sqlite:" + a.db, "migrate"], check=True, capture_output=True)
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA journal_mode = WAL")
    owners_n = max(10, int(50_000 * a.scale))
    managers_n = max(2, owners_n // 100)
    engagements_n = max(1, int(1_000 * a.scale))
    day = dt.date.fromisoformat(a.day)

    people = []
    managers = [ids() for _ in range(managers_n)]
    for i, pid in enumerate(managers):
        people.append((pid, f"Line Manager {i + 1:05d}", f"manager{i + 1}@example.org", None, 1))
    owners = [ids() for _ in range(owners_n)]
    for i, pid in enumerate(owners):
        people.append((pid, f"Action Owner {i + 1:06d}", f"owner{i + 1}@example.org", rnd.choice(managers),
                       0 if rnd.random() < 0.01 else 1))
    con.executemany("INSERT INTO person (id, role_title, email, line_manager_id, active) VALUES (?, ?, ?, ?, ?)",
                    people)
    groups = []
    members = []
    for g in range(50):
        gid = ids()
        groups.append((gid, f"Oversight Group {g + 1:02d}", "group"))
        chair, secretary = rnd.sample(managers, 2)
        members += [(gid, chair, "chair"), (gid, secretary, "secretary")]
    con.executemany("INSERT INTO governance_group (id, name, kind) VALUES (?, ?, ?)", groups)
    con.executemany("INSERT INTO group_member (group_id, person_id, role) VALUES (?, ?, ?)", members)

    engagements, recommendations, actions, co_owners, revisions = [], [], [], [], []
    for e in range(engagements_n):
        eid = ids()
        engagements.append((eid, f"IA-BENCH-{e + 1:04d}", f"Benchmark review {e + 1}", "final"))
        for r in range(100):
            rid = ids()
            recommendations.append((rid, eid, r + 1, f"Recommendation {r + 1} of review {e + 1}",
                                    rnd.choice(("high", "medium", "medium", "low")), "accepted"))
            for n in range(10):
                aid = ids()
                due = day + dt.timedelta(days=rnd.randint(-400, 400))
                actions.append((aid, rid, n + 1, f"Action {n + 1}: put the agreed control in place and evidence it",
                                rnd.choice(owners), due.isoformat(), "day",
                                rnd.choice(("not_started", "in_progress")), rnd.choice(groups)[0]))
                if rnd.random() < 0.10:
                    co_owners.append((aid, 1, rnd.choice(owners)))
                if rnd.random() < 0.05:
                    revised = due + dt.timedelta(days=rnd.randint(30, 120))
                    revisions.append((aid, 1, revised.isoformat(), "day", "more time agreed", "Oversight Group 01"))
    con.executemany("INSERT INTO engagement (id, reference, title, status) VALUES (?, ?, ?, ?)", engagements)
    con.executemany("INSERT INTO recommendation (id, engagement_id, number, title, priority, management_response) "
                    "VALUES (?, ?, ?, ?, ?, ?)", recommendations)
    con.executemany("INSERT INTO action (id, recommendation_id, number, description, lead_owner_id, "
                    "original_target_date, original_target_precision, status, responsible_group_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", actions)
    con.executemany("INSERT INTO action_co_owner (action_id, position, person_id) VALUES (?, ?, ?)", co_owners)
    con.executemany("INSERT INTO revised_target_date (action_id, seq, new_date, new_precision, reason, approved_by) "
                    "VALUES (?, ?, ?, ?, ?, ?)", revisions)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    print(f"generate_remind: {len(actions):,} open actions, {owners_n:,} owners, {len(co_owners):,} co-owners, "
          f"{len(revisions):,} revised dates", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
