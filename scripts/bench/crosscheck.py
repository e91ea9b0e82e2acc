#!/usr/bin/python3
"""Checks that the raw SQL (scripts/bench/followup.sql) and the report compute the same thing.

  crosscheck.py REPORT.json RAW.txt

REPORT.json is `govtrack report follow-up --format json` output; RAW.txt is the sqlite3 CLI output of
followup.sql (list mode: one '|'-separated row per recommendation ending in its actions as JSON, then
a 'totals' row). Compares every recommendation field, every action field and the totals; prints the
first differences. Exit 0 if they agree, 1 if not. Used by time_report.py so that the benchmark
compares equal work.
"""

from __future__ import annotations

import json
import sys

REC_FIELDS = ["engagement", "engagement_title", "number", "title", "priority", "management_response", "status",
              "owners", "target_date", "target_date_display", "current_target_date", "current_target_date_display",
              "revisions", "days_overdue"]
INT_FIELDS = {"number", "revisions", "days_overdue"}


def parse_raw(path: str) -> tuple[list[dict], dict | None]:
    recs, totals = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("totals|"):
                totals = json.loads(line.rsplit("|", 1)[1])
                continue
            if not line.startswith("recommendation|"):
                continue
            cells = line.split("|", len(REC_FIELDS) + 1)
            rec = {}
            for name, value in zip(REC_FIELDS, cells[1:]):
                if name in INT_FIELDS:
                    rec[name] = int(value)
                elif name == "owners":
                    rec[name] = value.split("; ") if value else []
                else:
                    rec[name] = None if value == "" and name.endswith(("_date", "_display")) else value
            rec["actions"] = json.loads(cells[-1])
            recs.append(rec)
    return recs, totals


def compare(report_path: str, raw_path: str, limit: int = 10) -> tuple[list[str], int, int]:
    """Returns (differences, recommendations compared, actions compared)."""
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    raw_recs, raw_totals = parse_raw(raw_path)
    diffs: list[str] = []

    def short(v) -> str:
        text = repr(v)
        return text if len(text) <= 120 else text[:117] + "..."

    def differ(where: str, field: str, rep, raw) -> None:
        if isinstance(rep, dict) and isinstance(raw, dict):  # name the differing keys, not whole objects
            for k in sorted(set(rep) | set(raw)):
                if rep.get(k) != raw.get(k):
                    differ(where, f"{field}.{k}" if field else k, rep.get(k, "(missing)"), raw.get(k, "(missing)"))
            return
        if len(diffs) < limit:
            diffs.append(f"{where} {field}: report {short(rep)} != raw {short(raw)}".strip())
        else:
            diffs.append("")

    rep_recs = report.get("recommendations", [])
    if len(rep_recs) != len(raw_recs):
        differ("", "recommendation count", len(rep_recs), len(raw_recs))
    n_actions = 0
    for rr, qr in zip(rep_recs, raw_recs):
        where = f"{rr.get('engagement')} rec {rr.get('number')}"
        for field in REC_FIELDS:
            if rr.get(field) != qr.get(field):
                differ(where, field, rr.get(field), qr.get(field))
        ra, qa = rr.get("actions", []), qr["actions"]
        if len(ra) != len(qa):
            differ(where, "action count", len(ra), len(qa))
        for a, b in zip(ra, qa):
            n_actions += 1
            for field in sorted(set(a) | set(b)):
                if a.get(field) != b.get(field):
                    differ(f"{where} action {a.get('number')}", field, a.get(field), b.get(field))
    rep_totals, raw_totals = report.get("totals") or {}, raw_totals or {}
    if rep_totals != raw_totals:
        differ("totals", "", rep_totals, raw_totals)
    shown = [d for d in diffs if d]
    if len(diffs) > len(shown):
        shown.append(f"... and {len(diffs) - len(shown)} more differences")
    return shown, min(len(rep_recs), len(raw_recs)), n_actions


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    diffs, recs, actions = compare(sys.argv[1], sys.argv[2])
    if diffs:
        print("\n".join(diffs))
        return 1
    print(f"report and raw SQL agree on {recs:,} recommendations, {actions:,} actions and the totals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
