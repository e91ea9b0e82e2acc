#!/usr/bin/python3
"""Generate a synthetic organisation's management action plans into a govtrack SQLite database.

Used by scripts/bench.sh (docs/performance.md). The schema is created by the real binary
(`govtrack --db sqlite:FILE migrate`), so the benchmark always runs against the schema and
schema_version the application uses; rows are then inserted with executemany in one transaction.

Full size (--scale 1): 2,000 engagements, 16,000 recommendations, 40,000 actions and
400,000 progress updates, plus ~300 people (by role title) in 40 organisation units, governance
groups and strategic risks. Every count of the engagement tree is multiplied by --scale; the
organisation itself keeps its size. Output is deterministic for a given --seed and --scale.

Run with /usr/bin/python3 (the standard library's sqlite3 module is all it needs).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time

# ---- sizes at --scale 1 ----
ENGAGEMENTS = 2_000
RECOMMENDATIONS = 16_000
ACTIONS = 40_000
PROGRESS_UPDATES = 400_000

OPEN_STATUSES = ("not_started", "in_progress", "implemented")

# ---- vocabulary (role titles and plain words only; no personal names, SPEC 7) ----

DIRECTORATES = {
    "Client Services": ["Client Services Operations", "Fraud and Error Resolution"],
    "Finance and Commercial": ["Financial Control", "Commercial and Procurement"],
    "People and Place": ["People Services", "Estates and Facilities"],
    "Digital and Data": ["Digital Services", "Data and Analytics"],
    "Strategy and Performance": ["Performance, Analysis and Strategy", "Corporate Governance"],
}
TEAM_KINDS = ["Operations Team", "Assurance Team", "Policy Team", "Delivery Team", "Improvement Team"]
STAFF_ROLES = [
    "Senior Analyst", "Policy Lead", "Risk Manager", "Data Analyst", "Project Manager",
    "Compliance Officer", "Business Partner", "Process Improvement Lead", "Product Owner",
    "Service Manager", "Quality Assurance Lead", "Programme Manager", "Operations Manager",
    "Information Governance Officer", "Change Manager", "Performance Analyst",
]
CHIEF_ROLES = ["Chief Executive", "Chief Operating Officer", "Chief Financial Officer", "Chief Data Officer",
               "Chief People Officer", "Head of Internal Audit", "Board Secretary"]

ENGAGEMENT_SUBJECTS = [
    "Performance Management", "Productivity and Efficiency", "Payroll Controls", "Supplier Payments",
    "Contract Management", "Information Security", "Data Quality", "Business Continuity",
    "Fraud Prevention", "Complaints Handling", "Risk Management Framework", "Budget Setting",
    "Asset Management", "Recruitment and Onboarding", "Health and Safety", "Records Management",
    "Cyber Resilience", "Change Programme Governance", "Benefit Error Control", "Debt Recovery",
    "Procurement Cards", "Estates Maintenance", "Workforce Planning", "Learning and Development",
    "Identity and Access Management", "Service Level Agreements", "Management Information",
    "Counter Fraud Arrangements", "Grant Funding", "Capital Programme",
]
VERBS = ["Strengthen", "Document", "Review", "Introduce", "Formalise", "Update", "Embed", "Monitor",
         "Clarify", "Establish", "Improve", "Reconcile", "Automate", "Standardise", "Align", "Test"]
OBJECTS = [
    "controls over supplier payments", "performance objectives for all roles", "the terms of reference of the forum",
    "management information on error rates", "the risk register review cycle", "segregation of duties in payroll",
    "evidence retention for approvals", "the escalation route for overdue actions", "access reviews for key systems",
    "the business continuity plan", "contract variation approvals", "data quality checks at entry",
    "training records for new starters", "the scheme of delegation", "budget monitoring reports",
    "exception reporting to the committee", "ownership of key performance indicators", "the complaints log",
    "reconciliation of suspense accounts", "vendor master data changes", "incident response testing",
    "benefit realisation tracking", "the asset register", "decision logs of governance groups",
    "quality checking of casework", "roles and responsibilities for data owners", "policy review dates",
    "the fraud risk assessment", "monitoring of aged debt", "declarations of interest",
]
SENTENCE_PARTS_A = [
    "The review found that", "Testing showed that", "We noted that", "Management confirmed that",
    "Sample testing indicated that", "Interviews with staff suggested that", "The walkthrough showed that",
    "Evidence reviewed shows that", "Our follow-up found that", "Discussion with the owner confirmed that",
]
SENTENCE_PARTS_B = [
    "approvals are not consistently evidenced", "the procedure note is out of date",
    "monitoring is informal and not recorded", "responsibilities are not clearly assigned",
    "reports to the committee omit exceptions", "reconciliations are completed late",
    "the control operates as designed in most cases", "several teams use local spreadsheets",
    "targets are not linked to the strategic plan", "the data used for reporting is not validated",
    "training completion is below the expected level", "the review cycle has lapsed",
    "there is no single owner for the process", "key decisions are not minuted",
]
SENTENCE_PARTS_C = [
    "which increases the risk of error.", "so assurance cannot be given.", "and this was raised previously.",
    "which may lead to delays.", "although improvements are under way.", "and management accepted the point.",
    "which weakens oversight.", "and the gap is being addressed.",
]
UPDATE_OPENINGS = [
    "Draft procedure circulated for comment", "Workshop held with team leaders", "Paper taken to the group",
    "Data extract obtained and being analysed", "Pilot completed in one team", "Training sessions scheduled",
    "Terms of reference revised", "Evidence uploaded for the auditor", "Awaiting sign-off by the director",
    "Resourcing pressures have delayed work", "Supplier engaged to deliver the change", "Testing under way",
    "Guidance published on the intranet", "Monitoring report produced for the first quarter",
    "Dependencies on the wider programme identified", "Revised timetable agreed with the sponsor",
]
UPDATE_CLOSINGS = [
    "Next step is to roll out across all teams.", "On track for the target date.",
    "A revised date may be needed.", "Evidence will follow at the next update.",
    "Remaining work is limited to documentation.", "Risk of slippage flagged to the chair.",
    "No issues to report.", "Awaiting feedback from stakeholders.",
]
REVISION_REASONS = [
    "Dependency on the system upgrade", "Resourcing pressures during the peak period",
    "Scope extended following the committee's request", "Awaiting a policy decision",
    "Supplier delay", "Restructure of the owning team",
]
GROUPS = [
    ("Audit and Assurance Committee", "committee", None),
    ("Executive Team", "board", None),
    ("Benefit Performance Review Group", "group", "Executive Team"),
    ("Error Control Working Group", "working_group", "Benefit Performance Review Group"),
    ("Risk and Reputation Group", "group", "Executive Team"),
    ("People Committee", "committee", "Executive Team"),
    ("Digital and Data Board", "board", "Executive Team"),
    ("Finance Committee", "committee", "Executive Team"),
    ("Information Governance Group", "group", "Digital and Data Board"),
    ("Estates Working Group", "working_group", "Finance Committee"),
]


# ---- helpers ----

def iso(d: dt.date) -> str:
    return d.isoformat()


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: dt.date, months: int) -> tuple[int, int]:
    m = d.month - 1 + months
    return d.year + m // 12, m % 12 + 1


def audit_year(d: dt.date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", s.lower()).strip(".")


def partition(rng: random.Random, total: int, lows: list[int], highs: list[int], draws: list[int]) -> list[int]:
    """Adjusts the drawn counts (each within [low, high]) so that they sum to exactly `total`."""
    counts = list(draws)
    n = len(counts)
    diff = total - sum(counts)
    if not (sum(lows) <= total <= sum(highs)):
        raise SystemExit(f"cannot partition {total} within bounds {sum(lows)}..{sum(highs)}")
    while diff != 0:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < highs[i]:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > lows[i]:
            counts[i] -= 1
            diff += 1
    return counts


def weighted(rng: random.Random, pairs: list[tuple[object, float]]):
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(values, weights)[0]


class Text:
    """Cheap, varied, deterministic text from pools."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        return f"{r.choice(SENTENCE_PARTS_A)} {r.choice(SENTENCE_PARTS_B)} {r.choice(SENTENCE_PARTS_C)}"

    def paragraph(self, lo: int, hi: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def update(self) -> str:
        r = self.rng
        return f"{r.choice(UPDATE_OPENINGS)}. {r.choice(UPDATE_CLOSINGS)}" + (
            f" {self.sentence()}" if r.random() < 0.4 else "")


# ---- the generator ----

def generate(conn: sqlite3.Connection, seed: int, scale: float, as_of: dt.date, log) -> dict[str, int]:
    rng = random.Random(seed)
    text = Text(rng)
    n_eng = max(1, round(ENGAGEMENTS * scale))
    n_rec = max(n_eng, round(RECOMMENDATIONS * scale))
    n_act = max(n_rec, round(ACTIONS * scale))
    n_upd = round(PROGRESS_UPDATES * scale)
    latest_issue = dt.date(2025, 9, 30)  # every engagement has at least ~3 months of history
    earliest_issue = dt.date(2019, 7, 1)
    issue_span = (latest_issue - earliest_issue).days

    # -- organisation units: 5 directorates > 10 divisions > 25 teams (40 units) --
    units = []  # (id, name, kind, parent_id)
    unit_heads = {}  # unit id -> role title of its head
    divisions, teams = [], []
    for d_name, d_divisions in DIRECTORATES.items():
        d_id = f"ou{len(units) + 1:03d}"
        units.append((d_id, f"{d_name} Directorate", "directorate", None))
        unit_heads[d_id] = f"Director of {d_name}"
        for v_name in d_divisions:
            v_id = f"ou{len(units) + 1:03d}"
            units.append((v_id, v_name, "division", d_id))
            unit_heads[v_id] = f"Head of {v_name}"
            divisions.append(v_id)
    team_slots = [(v, k) for v in divisions for k in TEAM_KINDS]
    rng.shuffle(team_slots)
    for v_id, kind in sorted(team_slots[:25], key=lambda t: (t[0], TEAM_KINDS.index(t[1]))):
        v_name = next(u[1] for u in units if u[0] == v_id)
        t_id = f"ou{len(units) + 1:03d}"
        units.append((t_id, f"{v_name} {kind}", "team", v_id))
        unit_heads[t_id] = f"Team Leader, {v_name} {kind}"
        teams.append(t_id)
    unit_by_id = {u[0]: u for u in units}

    # -- people: chiefs, one head per unit, then staff (~300 in all) --
    people = []  # (id, role_title, email, unit_id, line_manager_id, active)
    head_person = {}
    def add_person(title, unit_id, manager_id, active=1):
        pid = f"p{len(people) + 1:04d}"
        people.append((pid, title, f"{slug(title)}@example.org", unit_id, manager_id, active))
        return pid
    ceo = add_person(CHIEF_ROLES[0], None, None)
    for title in CHIEF_ROLES[1:]:
        add_person(title, None if title == "Board Secretary" else units[0][0], ceo)
    for u_id, _, kind, parent in units:  # parents come before children
        manager = ceo if parent is None else head_person[parent]
        head_person[u_id] = add_person(unit_heads[u_id], u_id, manager)
    staff_slots = [(r, t) for r in STAFF_ROLES for t in teams + divisions]
    rng.shuffle(staff_slots)
    for role, u_id in staff_slots[: 300 - len(people)]:
        add_person(f"{role}, {unit_by_id[u_id][1]}", u_id, head_person[u_id], 1 if rng.random() > 0.03 else 0)
    person_ids = [p[0] for p in people]
    # Heads and leads own more actions than analysts do.
    owner_weights = [3.0 if (p[1].startswith(("Head of", "Director of", "Chief")) or "Lead" in p[1]) else 1.0
                     for p in people]

    groups = []
    group_ids = {}
    for name, kind, parent in GROUPS:
        gid = f"g{len(groups) + 1:03d}"
        group_ids[name] = gid
        groups.append((gid, name, kind, group_ids.get(parent) if parent else None,
                       f"Oversees {name.lower()} business.", "", "monthly" if rng.random() < 0.6 else "quarterly",
                       "three members including the chair", "2019-04-01", None, None))
    group_names = [g[0] for g in GROUPS]

    risks = [(f"rk{i:03d}", f"CR-{i:03d}", f"Strategic risk {i}: {rng.choice(OBJECTS)}", text.sentence(), "strategic")
             for i in range(1, 31)]
    risk_refs = [r[1] for r in risks]

    # -- engagements (ordered by issue date, so ids follow time as they would in real use) --
    issue_days = sorted(rng.randrange(issue_span + 1) for _ in range(n_eng))
    engagements = []
    eng_issue = []
    per_year = {}
    for i, off in enumerate(issue_days):
        issue = earliest_issue + dt.timedelta(days=off)
        year = audit_year(issue)
        per_year[year] = per_year.get(year, 0) + 1
        eid = f"e{i + 1:06d}"
        subject = rng.choice(ENGAGEMENT_SUBJECTS)
        fw_start = issue - dt.timedelta(days=rng.randint(60, 150))
        fw_end = fw_start + dt.timedelta(days=rng.randint(20, 45))
        draft = fw_end + dt.timedelta(days=rng.randint(10, 30))
        age_years = (as_of - issue).days / 365.25
        status = "closed" if age_years > 2 and rng.random() < 0.35 else "final"
        follows = engagements[rng.randrange(len(engagements))][0] if engagements and rng.random() < 0.15 else None
        engagements.append((
            eid, f"IA-{year}-{per_year[year]:03d}", subject, year,
            f"Review of {subject.lower()} arrangements. {text.sentence()}",
            "\n".join(f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}" for _ in range(rng.randint(2, 5))),
            "\n".join(rng.sample(risk_refs, rng.randint(1, 3))),
            iso(fw_start)[:7], iso(fw_end)[:7], iso(draft)[:7], iso(issue)[:7], rng.randint(10, 40), iso(issue),
            weighted(rng, [("substantial", 15), ("reasonable", 50), ("limited", 30), ("insufficient", 5)]),
            status, follows, 1))
        eng_issue.append(issue)

    # -- recommendations: 2-14 per engagement (mean 8), numbered 1..n --
    rec_counts = partition(rng, n_rec, [1] * n_eng, [15] * n_eng, [rng.randint(2, 14) for _ in range(n_eng)])
    recommendations, rec_links, rec_meta = [], [], []  # rec_meta: (issue date, response)
    for e_index, count in enumerate(rec_counts):
        for number in range(1, count + 1):
            rid = f"r{len(recommendations) + 1:07d}"
            priority = weighted(rng, [("high", 20), ("medium", 50), ("low", 30)])
            response = weighted(rng, [("accepted", 80), ("partially_accepted", 10), ("risk_tolerated", 6),
                                      ("rejected", 4)])
            recommendations.append((
                rid, engagements[e_index][0], number, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                text.paragraph(1, 3), text.sentence(), text.paragraph(1, 2), priority, response,
                text.sentence() if response != "accepted" or rng.random() < 0.5 else "", 1))
            if rng.random() < 0.3:
                for ref in rng.sample(risk_refs, rng.randint(1, 2)):
                    rec_links.append((rid, ref))
            rec_meta.append((eng_issue[e_index], response))

    # -- actions: 1-4 per recommendation (mean 2.5) --
    act_counts = partition(rng, n_act, [1] * n_rec, [4] * n_rec, [rng.randint(1, 4) for _ in range(n_rec)])
    actions, co_owners, revisions = [], [], []
    act_meta = []  # (issue date, status, lead, co-owner ids)
    for r_index, count in enumerate(act_counts):
        issue, response = rec_meta[r_index]
        age_years = (as_of - issue).days / 365.25
        # Actions of one recommendation tend to close together: some plans are finished, some stalled.
        p_closed = min(0.8, 0.03 + 0.09 * age_years)
        mode = rng.random()
        if mode < 0.6 * p_closed:
            p_closed = 0.92
        elif mode > 1 - 0.6 * (1 - p_closed):
            p_closed = 0.03
        for number in range(1, count + 1):
            aid = f"a{len(actions) + 1:08d}"
            lead = rng.choices(person_ids, owner_weights)[0] if rng.random() > 0.01 else None
            cos = []
            for _ in range(weighted(rng, [(0, 50), (1, 35), (2, 15)])):
                p = rng.choice(person_ids)
                if p != lead and p not in cos:
                    cos.append(p)
                    co_owners.append((aid, len(cos), p))
            # original target date: 2-18 months after issue; ~10% month precision (last day of month)
            if response == "risk_tolerated" and rng.random() < 0.5:
                target, precision = None, None
            else:
                y, m = add_months(issue, rng.randint(2, 18))
                if rng.random() < 0.10:
                    target, precision = month_end(y, m), "month"
                else:
                    target, precision = dt.date(y, m, rng.randint(1, calendar.monthrange(y, m)[1])), "day"
            # approved revisions (most actions have none), each decided before the as-of date
            effective = target
            n_rev = weighted(rng, [(0, 72), (1, 17), (2, 7), (3, 4)]) if target else 0
            last_decision = issue
            for seq in range(1, n_rev + 1):
                upper = min(effective, as_of - dt.timedelta(days=1))
                lower = max(last_decision + dt.timedelta(days=1), upper - dt.timedelta(days=60))
                if lower > upper:
                    break
                decision = lower + dt.timedelta(days=rng.randint(0, (upper - lower).days))
                last_decision = decision
                y, m = add_months(effective, rng.randint(1, 6))
                if rng.random() < 0.10:
                    new_date, new_precision = month_end(y, m), "month"
                else:
                    new_date, new_precision = dt.date(y, m, rng.randint(1, calendar.monthrange(y, m)[1])), "day"
                revisions.append((aid, seq, iso(new_date), new_precision, rng.choice(REVISION_REASONS),
                                  lead, rng.choice(group_names), iso(decision)))
                effective = new_date
            # status: older plans are more often closed (about a third closed overall)
            if rng.random() < p_closed:
                if response == "rejected":
                    status = weighted(rng, [("withdrawn", 60), ("verified", 30), ("superseded", 10)])
                elif response == "risk_tolerated":
                    status = weighted(rng, [("risk_accepted", 70), ("verified", 25), ("withdrawn", 5)])
                else:
                    status = weighted(rng, [("verified", 78), ("risk_accepted", 9), ("superseded", 6),
                                            ("withdrawn", 7)])
            elif effective is not None and effective < as_of:
                status = weighted(rng, [("not_started", 12), ("in_progress", 60), ("implemented", 28)])
            else:
                status = weighted(rng, [("not_started", 35), ("in_progress", 55), ("implemented", 10)])
            assessment = ""
            if status == "verified":
                assessment = "Verified at follow-up: " + text.sentence()
            elif status == "implemented" and rng.random() < 0.3:
                assessment = "Evidence received; verification pending."
            actions.append((
                aid, recommendations[r_index][0], number, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}. "
                + text.sentence(), lead, iso(target) if target else None, precision, status,
                rng.choice(["prevent", "identify", "learning", "leadership_accountability", "resolution",
                            "standards", None]),
                rng.choice(["first", "second", "third", None, None]), assessment, 1))
            act_meta.append((issue, status, lead, cos))

    # -- progress updates: ~10 per action, on distinct days between issue and the day before as-of --
    lows, highs, draws = [], [], []
    for issue, status, _, _ in act_meta:
        cap = min(40, (as_of - issue).days - 1)
        if status == "not_started":
            lows.append(0); highs.append(min(3, cap)); draws.append(weighted(rng, [(0, 60), (1, 30), (2, 10)]))
        else:
            lows.append(1); highs.append(cap); draws.append(min(cap, rng.randint(3, 20)))
    upd_counts = partition(rng, n_upd, lows, highs, draws)
    updates = []
    for a_index, count in enumerate(upd_counts):
        if count == 0:
            continue
        issue, status, lead, cos = act_meta[a_index]
        span = (as_of - issue).days - 1  # days issue+1 .. as_of-1
        days = sorted(rng.sample(range(1, span + 1), count))
        final_pct = 100 if status in ("implemented", "verified") else rng.randint(20, 90)
        aid = actions[a_index][0]
        for k, day in enumerate(days):
            pct = None if rng.random() < 0.2 else round(final_pct * (k + 1) / count)
            author = lead if (not cos or rng.random() < 0.8) else rng.choice(cos)
            updates.append((aid, iso(issue + dt.timedelta(days=day)), author, text.update(), pct))
    updates.sort(key=lambda u: (u[1], u[0]))  # inserted in the order they were written
    updates = [(f"pu{i + 1:08d}",) + u for i, u in enumerate(updates)]
    log(f"generated rows in memory; inserting")

    cur = conn.cursor()
    cur.execute("BEGIN")
    cur.executemany("INSERT INTO org_unit (id, name, kind, parent_id) VALUES (?,?,?,?)", units)
    cur.executemany("INSERT INTO person (id, role_title, email, unit_id, line_manager_id, active)"
                    " VALUES (?,?,?,?,?,?)", people)
    cur.executemany("INSERT INTO governance_group (id, name, kind, parent_id, purpose, remit, meeting_frequency,"
                    " quorum, effective_from, effective_to, superseded_by_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)", groups)
    cur.executemany("INSERT INTO risk (id, reference, title, description, level) VALUES (?,?,?,?,?)", risks)
    cur.executemany("INSERT INTO engagement (id, reference, title, audit_year, scope, remit_items, key_risks,"
                    " fieldwork_start, fieldwork_end, draft_report_date, final_report_date, resource_days,"
                    " issue_date, assurance_level, status, follows_up_id, version)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", engagements)
    cur.executemany("INSERT INTO recommendation (id, engagement_id, number, title, issue, risk,"
                    " recommendation_text, priority, management_response, response_text, version)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)", recommendations)
    cur.executemany("INSERT INTO recommendation_risk (recommendation_id, risk_reference) VALUES (?,?)", rec_links)
    cur.executemany("INSERT INTO action (id, recommendation_id, number, description, lead_owner_id,"
                    " original_target_date, original_target_precision, status, pillar, line_of_defence,"
                    " auditor_assessment, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", actions)
    cur.executemany("INSERT INTO action_co_owner (action_id, position, person_id) VALUES (?,?,?)", co_owners)
    cur.executemany("INSERT INTO revised_target_date (action_id, seq, new_date, new_precision, reason,"
                    " requested_by_id, approved_by, decision_date) VALUES (?,?,?,?,?,?,?,?)", revisions)
    cur.executemany("INSERT INTO progress_update (id, action_id, update_date, author_id, text, percent)"
                    " VALUES (?,?,?,?,?,?)", updates)
    conn.commit()
    return {"org_units": len(units), "people": len(people), "governance_groups": len(groups), "risks": len(risks),
            "engagements": len(engagements), "recommendations": len(recommendations),
            "actions": len(actions), "action_co_owners": len(co_owners), "revised_target_dates": len(revisions),
            "progress_updates": len(updates)}


def remove_db(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="SQLite file to create (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the engagement-tree sizes")
    ap.add_argument("--as-of", default="2026-01-05", help="progress updates and decisions fall before this date")
    ap.add_argument("--govtrack", default=os.environ.get("GOVTRACK_BIN", "build/bin/govtrack"),
                    help="binary whose `migrate` creates the schema")
    ap.add_argument("--meta", help="write seed, scale and row counts to this JSON file")
    args = ap.parse_args()
    if args.scale <= 0:
        ap.error("--scale must be positive")
    as_of = dt.date.fromisoformat(args.as_of)

    started = time.perf_counter()
    def log(msg):
        print(f"generate_org: {time.perf_counter() - started:6.1f}s {msg}", file=sys.stderr, flush=True)

    tmp = args.db + ".tmp"
    remove_db(tmp)
    os.makedirs(os.path.dirname(os.path.abspath(args.db)), exist_ok=True)
    migrate = subprocess.run([args.govtrack, "--db", f"sqlite:{tmp}", "migrate"], capture_output=True, text=True)
    if migrate.returncode != 0:
        print(f"generate_org: `{args.govtrack} --db sqlite:{tmp} migrate` failed (exit {migrate.returncode}): "
              f"{(migrate.stderr or migrate.stdout).strip()}", file=sys.stderr)
        return 1
    log(f"schema created by govtrack migrate: {migrate.stdout.strip() or 'ok'}")

    conn = sqlite3.connect(tmp, isolation_level=None)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted({"org_unit", "person", "engagement", "recommendation", "action", "progress_update"} - tables)
    if missing:
        print(f"generate_org: `{args.govtrack} migrate` exited 0 but did not create: {', '.join(missing)}",
              file=sys.stderr)
        return 1
    conn.execute("PRAGMA synchronous = OFF")  # this connection only; a crash just means regenerating
    conn.execute("PRAGMA foreign_keys = ON")
    counts = generate(conn, args.seed, args.scale, as_of, log)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    remove_db(args.db)
    os.replace(tmp, args.db)
    log("done: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    if args.meta:
        with open(args.meta, "w") as f:
            json.dump({"seed": args.seed, "scale": args.scale, "as_of": args.as_of, "counts": counts}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
