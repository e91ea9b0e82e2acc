#!/usr/bin/python3
"""Add an audit trail to a generated organisation (scripts/bench.sh as-of; docs/performance.md).

Reads the plan generate_org.py wrote into a govtrack SQLite file and appends a hash-chained history to
its audit_event table, in the canonical form domain/AuditCodec.h defines (so `govtrack verify-audit-log`
accepts it and as-of reports decode it): one create event per unit, person, engagement, recommendation,
action and progress update, plus enough action updates (status moves, revised target dates, co-owner
changes) to reach --events in total. Creations are spread over the three years before --until, updates
after their entity's creation; each action's last event is its stored state. Deterministic for a --seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sqlite3


def esc(v: str) -> str:
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def canon(fields) -> str:
    return "".join(f"{k}={esc(str(v))}\n" for k, v in fields if v is not None)


def target(iso, precision):
    if iso is None:
        return None
    return iso[:7] if precision == "month" else iso


def action_state(a, status, revisions, co_owners, version):
    f = [("id", a["id"]), ("recommendation_id", a["recommendation_id"]), ("number", a["number"]),
         ("description", a["description"]), ("lead_owner_id", a["lead_owner_id"]),
         ("co_owner_ids", len(co_owners))]
    f += [(f"co_owner_ids.{i}", c) for i, c in enumerate(co_owners)]
    f += [("original_target_date", target(a["original_target_date"], a["original_target_precision"])),
          ("revisions", len(revisions))]
    for i, (new, prec, reason) in enumerate(revisions):
        f += [(f"revisions.{i}.new_date", target(new, prec)), (f"revisions.{i}.reason", reason),
              (f"revisions.{i}.approved_by", "Executive Team")]
    f += [("status", status), ("pillar", a["pillar"]), ("line_of_defence", a["line_of_defence"]),
          ("auditor_assessment", a["auditor_assessment"]), ("version", version)]
    return canon(f)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--until", default="2026-01-04")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    rnd = random.Random(args.seed)
    con = sqlite3.connect(args.db)
    con.row_factory = sqlite3.Row
    con.execute("DELETE FROM audit_event")
    until = dt.datetime.fromisoformat(args.until + "T18:00:00")
    start = until - dt.timedelta(days=3 * 365)
    span = int((until - start).total_seconds())

    def when(after: int) -> int:
        return after + rnd.randrange(max(1, span - after))

    pending = []  # (seconds, order, entity_type, entity_id, change, before, after)
    order = 0

    def add(sec, etype, eid, change, before, after):
        nonlocal order
        order += 1
        pending.append((sec, order, etype, eid, change, before, after))

    for u in con.execute("SELECT * FROM org_unit"):
        add(0, "unit", u["id"], "create", "", canon([("id", u["id"]), ("name", u["name"]), ("kind", u["kind"]),
                                                     ("parent_id", u["parent_id"])]))
    for r in con.execute("SELECT * FROM person"):
        add(0, "person", r["id"], "create", "", canon([("id", r["id"]), ("role_title", r["role_title"]),
                                                       ("email", r["email"]), ("unit_id", r["unit_id"]),
                                                       ("line_manager_id", r["line_manager_id"]),
                                                       ("active", "true" if r["active"] else "false"), ("roles", 0)]))
    created = {}
    for e in con.execute("SELECT * FROM engagement"):
        sec = rnd.randrange(span // 2)
        created[e["id"]] = sec
        add(sec, "engagement", e["id"], "create", "",
            canon([("id", e["id"]), ("reference", e["reference"]), ("title", e["title"]),
                   ("audit_year", e["audit_year"]), ("status", e["status"]), ("version", e["version"])]))
    for r in con.execute("SELECT * FROM recommendation"):
        sec = created[r["engagement_id"]] + 60
        created[r["id"]] = sec
        add(sec, "recommendation", r["id"], "create", "",
            canon([("id", r["id"]), ("engagement_id", r["engagement_id"]), ("number", r["number"]),
                   ("title", r["title"]), ("text", r["recommendation_text"]), ("priority", r["priority"]),
                   ("management_response", r["management_response"]), ("version", r["version"])]))
    co = {}
    for row in con.execute("SELECT action_id, person_id FROM action_co_owner ORDER BY action_id, position"):
        co.setdefault(row[0], []).append(row[1])
    revs = {}
    for row in con.execute("SELECT action_id, new_date, new_precision, reason FROM revised_target_date "
                           "ORDER BY action_id, seq"):
        revs.setdefault(row[0], []).append((row[1], row[2], row[3]))
    actions = [dict(a) for a in con.execute("SELECT * FROM action")]
    updates = con.execute("SELECT COUNT(*) FROM progress_update").fetchone()[0]
    fixed = len(pending) + len(actions) + updates
    per_action = max(0, (args.events - fixed) // max(1, len(actions)))
    extra = max(0, args.events - fixed - per_action * len(actions))
    for i, a in enumerate(actions):
        sec = created[a["recommendation_id"]] + 120
        created[a["id"]] = sec
        final_co, final_revs = co.get(a["id"], []), revs.get(a["id"], [])
        n = per_action + (1 if i < extra else 0)
        version = 1
        add(sec, "action", a["id"], "create", "", action_state(a, "not_started", [], final_co[:1], version))
        before = None
        times = sorted(when(sec) for _ in range(n))
        for k, t in enumerate(times):
            last = k == n - 1
            version += 1
            status = a["status"] if last else ("not_started" if k < n // 3 else "in_progress")
            nrev = len(final_revs) if last else (len(final_revs) * k) // max(1, n)
            state = action_state(a, status, final_revs[:nrev], final_co if last or k % 2 else final_co[:1], version)
            add(t, "action", a["id"], "update", "", state)
    for u in con.execute("SELECT * FROM progress_update ORDER BY rowid"):
        sec = max(created.get(u["action_id"], 0) + 180, when(created.get(u["action_id"], 0)))
        add(sec, "progress_update", u["id"], "create", "",
            canon([("id", u["id"]), ("action_id", u["action_id"]), ("date", u["update_date"]),
                   ("author_id", u["author_id"]), ("text", u["text"]), ("percent", u["percent"])]))
    pending.sort()

    rows, prev = [], ""
    for seq, (sec, _, etype, eid, change, before, after) in enumerate(pending, start=1):
        at = (start + dt.timedelta(seconds=sec)).strftime("%Y-%m-%dT%H:%M:%SZ")
        actor = "import bench.csv"
        text = prev + "\n" + canon([("seq", seq), ("at", at), ("actor_name", actor), ("entity_type", etype),
                                     ("entity_id", eid), ("change", change), ("before", before),
                                     ("after", after), ("reason", "")])
        h = hashlib.sha256(text.encode()).hexdigest()
        rows.append((seq, at, None, actor, etype, eid, change, before, after, "", prev, h))
        prev = h
    with con:
        con.executemany("INSERT INTO audit_event (seq, at, actor_id, actor_name, entity_type, entity_id, "
                        "change_kind, before_state, after_state, reason, prev_hash, hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("ANALYZE")
    con.close()
    print(f"generate_events: {len(rows)} events over {len(actions)} actions in {args.db}")


if __name__ == "__main__":
    main()
