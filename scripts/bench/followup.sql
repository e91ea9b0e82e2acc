-- The organisation-wide follow-up report (SPEC 4.7) as ONE raw SQL statement, for scripts/bench.sh.
-- It does the work `govtrack report follow-up --as-of 2026-01-05` does, by the rules in
-- modules/domain/include/govtrack/domain/Rules.h (SPEC 4.1, 4.2):
--   * one row per recommendation (by engagement reference, then number): engagement reference and
--     title, number, title, priority, management response, derived status, owners (each action's lead
--     owner then co-owners, by action number, de-duplicated), latest original target date, latest
--     effective due date over open actions (else over all), revisions, max days overdue, and its actions
--     as a JSON array (number, description, lead owner, co-owners, unit, original and effective target
--     date with display form, revisions, total slip, status, RAG, overdue, days overdue, last progress
--     update, auditor assessment) -- the fields and values of the report's JSON, checked by crosscheck.py;
--   * a final 'totals' row: by priority, by status, by status x priority, % implemented, and overdue
--     actions / recommendations / by owner (lead and co-owners) / by unit.
-- Effective due date = latest approved revision, else the original target. Open = not_started,
-- in_progress, implemented. Overdue = open and effective due date < as-of. RAG amber window 30 days.
-- Run: sqlite3 var/bench/org.db < scripts/bench/followup.sql
.bail on
PRAGMA query_only = 1;
WITH
params(as_of, as_of_jd, amber_days) AS (SELECT '2026-01-05', julianday('2026-01-05'), 30),
-- latest approved revision per action (bare columns come from the row holding max(seq))
rev AS MATERIALIZED (
    SELECT action_id, count(*) AS n, max(seq), new_date, new_precision
    FROM revised_target_date GROUP BY action_id
),
co AS MATERIALIZED (
    SELECT action_id, json_group_array(role_title) AS titles
    FROM (SELECT c.action_id, p.role_title FROM action_co_owner c JOIN person p ON p.id = c.person_id
          ORDER BY c.action_id, c.position)
    GROUP BY action_id
),
-- per-action derived values (small columns only; the long texts are read once, at output)
act AS MATERIALIZED (
    SELECT a.id, a.recommendation_id AS rec_id, a.number, a.status, a.lead_owner_id,
           a.original_target_date AS orig, a.original_target_precision AS orig_prec,
           coalesce(rv.new_date, a.original_target_date) AS eff,
           CASE WHEN rv.action_id IS NULL THEN a.original_target_precision ELSE rv.new_precision END AS eff_prec,
           coalesce(rv.n, 0) AS revisions,
           a.status IN ('not_started', 'in_progress', 'implemented') AS is_open
    FROM action a
    LEFT JOIN rev rv ON rv.action_id = a.id
),
act2 AS MATERIALIZED (
    SELECT act.*,
           CASE WHEN is_open AND eff < params.as_of
                THEN CAST(params.as_of_jd - julianday(eff) AS INTEGER) ELSE 0 END AS days_overdue,
           CASE WHEN revisions > 0 AND orig IS NOT NULL
                THEN CAST(julianday(eff) - julianday(orig) AS INTEGER) ELSE 0 END AS slip_days,
           CASE WHEN NOT is_open THEN 'complete'
                WHEN eff < params.as_of THEN 'red'
                WHEN (eff IS NOT NULL AND julianday(eff) - params.as_of_jd <= params.amber_days)
                     OR revisions >= 2 THEN 'amber'
                ELSE 'green' END AS rag,
           CASE orig_prec WHEN 'month'
                THEN substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * substr(orig, 6, 2) - 2, 3) || ' ' || substr(orig, 1, 4)
                ELSE substr(orig, 9, 2) || '/' || substr(orig, 6, 2) || '/' || substr(orig, 1, 4) END AS orig_display,
           CASE eff_prec WHEN 'month'
                THEN substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * substr(eff, 6, 2) - 2, 3) || ' ' || substr(eff, 1, 4)
                ELSE substr(eff, 9, 2) || '/' || substr(eff, 6, 2) || '/' || substr(eff, 1, 4) END AS eff_display
    FROM act, params
),
-- owners of a recommendation: for each action (by number) its lead owner, then its co-owners; first occurrence wins
own AS MATERIALIZED (
    SELECT rec_id, group_concat(role_title, '; ') AS owners
    FROM (SELECT o.rec_id, p.role_title
          FROM (SELECT rec_id, person_id, min(ord) AS ord
                FROM (SELECT a.recommendation_id AS rec_id, a.lead_owner_id AS person_id, a.number * 100 AS ord
                      FROM action a WHERE a.lead_owner_id IS NOT NULL
                      UNION ALL
                      SELECT a.recommendation_id, c.person_id, a.number * 100 + c.position
                      FROM action_co_owner c JOIN action a ON a.id = c.action_id)
                GROUP BY rec_id, person_id) o
          JOIN person p ON p.id = o.person_id
          ORDER BY o.rec_id, o.ord)
    GROUP BY rec_id
),
recagg AS MATERIALIZED (
    SELECT rec_id,
           -- latest date; on a tie the lowest action number wins (its precision is shown)
           max(CASE WHEN orig IS NOT NULL THEN orig || printf('%03d', 999 - number) || orig_prec END) AS target,
           max(CASE WHEN is_open AND eff IS NOT NULL THEN eff || printf('%03d', 999 - number) || eff_prec END)
               AS current_open_target,
           max(CASE WHEN eff IS NOT NULL THEN eff || printf('%03d', 999 - number) || eff_prec END) AS latest_target,
           sum(revisions) AS revisions,
           max(days_overdue) AS days_overdue,
           sum(days_overdue > 0) AS overdue_actions,
           sum(status NOT IN ('superseded', 'withdrawn')) AS considered,
           sum(status = 'verified') AS verified,
           sum(status = 'risk_accepted') AS risk_accepted
    FROM act2
    GROUP BY rec_id
),
rows AS MATERIALIZED (
    SELECT r.id AS rec_id, r.priority,
           CASE WHEN r.management_response = 'rejected' THEN 'not_accepted'
                WHEN coalesce(g.considered, 0) = 0 THEN
                     CASE WHEN r.management_response = 'risk_tolerated' THEN 'risk_accepted' ELSE 'not_implemented' END
                WHEN g.verified = g.considered THEN 'implemented'
                WHEN g.risk_accepted = g.considered THEN 'risk_accepted'
                WHEN g.verified + g.risk_accepted = g.considered THEN 'implemented'
                WHEN g.verified > 0 THEN 'partially_implemented'
                ELSE 'not_implemented' END AS status,
           g.target,
           -- a closed recommendation shows where it ended: its latest effective date
           coalesce(g.current_open_target, g.latest_target) AS current_target,
           coalesce(g.revisions, 0) AS revisions, coalesce(g.days_overdue, 0) AS days_overdue,
           coalesce(g.overdue_actions, 0) AS overdue_actions
    FROM recommendation r
    LEFT JOIN recagg g ON g.rec_id = r.id
),
-- counts by status x priority in one pass; the totals below read this small table
sp AS MATERIALIZED (
    SELECT status, priority, count(*) AS n, sum(overdue_actions > 0) AS with_overdue FROM rows GROUP BY 1, 2
),
priorities(p, ord) AS (VALUES ('high', 1), ('medium', 2), ('low', 3)),
statuses(s, ord) AS (VALUES ('implemented', 1), ('partially_implemented', 2), ('not_implemented', 3),
                           ('risk_accepted', 4), ('not_accepted', 5))
SELECT * FROM (
    -- engagements by reference, recommendations by number, actions by number: all read in index order
    SELECT 'recommendation' AS kind, e.reference AS engagement, e.title AS engagement_title, r.number, r.title,
           r.priority, r.management_response, w.status, coalesce(o.owners, '') AS owners,
           -- a month-precision date is written "2025-12" (TargetDate::iso), shown "Dec 2025"
           substr(w.target, 1, CASE substr(w.target, 14) WHEN 'month' THEN 7 ELSE 10 END) AS target_date,
           CASE substr(w.target, 14) WHEN 'month'
                THEN substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * substr(w.target, 6, 2) - 2, 3) || ' ' ||
                     substr(w.target, 1, 4)
                ELSE substr(w.target, 9, 2) || '/' || substr(w.target, 6, 2) || '/' || substr(w.target, 1, 4)
                END AS target_date_display,
           substr(w.current_target, 1, CASE substr(w.current_target, 14) WHEN 'month' THEN 7 ELSE 10 END)
               AS current_target_date,
           CASE substr(w.current_target, 14) WHEN 'month'
                THEN substr('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * substr(w.current_target, 6, 2) - 2, 3) || ' ' ||
                     substr(w.current_target, 1, 4)
                ELSE substr(w.current_target, 9, 2) || '/' || substr(w.current_target, 6, 2) || '/' ||
                     substr(w.current_target, 1, 4)
                END AS current_target_date_display,
           w.revisions, w.days_overdue,
           (SELECT json_group_array(json_object(
                'number', a.number, 'description', a.description, 'lead_owner', lo.role_title,
                'co_owners', json(coalesce(co.titles, '[]')), 'unit', u.name,
                'target_date', CASE x.orig_prec WHEN 'month' THEN substr(x.orig, 1, 7) ELSE x.orig END,
                'target_date_display', x.orig_display,
                'current_target_date', CASE x.eff_prec WHEN 'month' THEN substr(x.eff, 1, 7) ELSE x.eff END,
                'current_target_date_display', x.eff_display,
                'revisions', x.revisions, 'total_slip_days', x.slip_days, 'status', x.status, 'rag', x.rag,
                'overdue', json(CASE WHEN x.days_overdue > 0 THEN 'true' ELSE 'false' END),
                'days_overdue', x.days_overdue,
                'last_update', CASE WHEN pu.rowid IS NULL THEN NULL
                                    ELSE json_object('date', pu.update_date, 'text', pu.text,
                                                     'percent', pu.percent) END,
                'auditor_assessment', a.auditor_assessment))
            FROM (SELECT * FROM action WHERE recommendation_id = r.id ORDER BY number) a
            JOIN act2 x ON x.id = a.id
            LEFT JOIN person lo ON lo.id = a.lead_owner_id
            LEFT JOIN org_unit u ON u.id = lo.unit_id
            LEFT JOIN co ON co.action_id = a.id
            -- last progress update: one probe of the (action_id, update_date) index per action; of several
            -- on the latest date the one added last (rowid), as the report does. The index holds the rowid,
            -- so this needs no sort and no table read.
            LEFT JOIN progress_update pu ON pu.rowid =
                (SELECT p.rowid FROM progress_update p WHERE p.action_id = a.id
                 ORDER BY p.update_date DESC, p.rowid DESC LIMIT 1)) AS actions
    FROM engagement e
    JOIN recommendation r ON r.engagement_id = e.id
    JOIN rows w ON w.rec_id = r.id
    LEFT JOIN own o ON o.rec_id = r.id
    ORDER BY e.reference, r.number
)
UNION ALL
SELECT 'totals', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, json_object(
    'recommendations', (SELECT coalesce(sum(n), 0) FROM sp),
    'actions', (SELECT count(*) FROM act2),
    'by_priority', (SELECT json_group_object(p, (SELECT coalesce(sum(n), 0) FROM sp WHERE priority = p))
                    FROM (SELECT p FROM priorities ORDER BY ord)),
    'by_status', (SELECT json_group_object(s, (SELECT coalesce(sum(n), 0) FROM sp WHERE status = s))
                  FROM (SELECT s FROM statuses ORDER BY ord)),
    'by_status_priority', (SELECT json_group_object(s, json(x)) FROM (
        SELECT s, (SELECT json_group_object(p, n) FROM (
                       SELECT priorities.p, (SELECT coalesce(sum(n), 0) FROM sp
                                             WHERE status = s AND priority = priorities.p) AS n
                       FROM priorities ORDER BY priorities.ord)) AS x
        FROM statuses ORDER BY statuses.ord)),
    'implemented_percent', (SELECT CASE WHEN coalesce(sum(n), 0) = 0 THEN 0.0
                                        ELSE round(100.0 * sum(CASE WHEN status = 'implemented' THEN n ELSE 0 END)
                                                   / sum(n), 1) END FROM sp),
    'overdue', json_object(
        'actions', (SELECT count(*) FROM act2 WHERE days_overdue > 0),
        'recommendations', (SELECT coalesce(sum(with_overdue), 0) FROM sp),
        'by_owner', (SELECT json_group_object(owner, n) FROM (
            -- an overdue action counts once for its lead owner and once for each other co-owner
            SELECT owner, count(*) AS n FROM (
                SELECT coalesce(p.role_title, '(no owner)') AS owner
                FROM act2 x LEFT JOIN person p ON p.id = x.lead_owner_id
                WHERE x.days_overdue > 0
                UNION ALL
                SELECT p.role_title
                FROM act2 x JOIN action_co_owner c ON c.action_id = x.id JOIN person p ON p.id = c.person_id
                WHERE x.days_overdue > 0 AND c.person_id IS NOT x.lead_owner_id)
            GROUP BY 1 ORDER BY 1)),
        'by_unit', (SELECT json_group_object(unit, n) FROM (
            SELECT coalesce(u.name, '(no unit)') AS unit, count(*) AS n
            FROM act2 x LEFT JOIN person p ON p.id = x.lead_owner_id LEFT JOIN org_unit u ON u.id = p.unit_id
            WHERE x.days_overdue > 0 GROUP BY 1 ORDER BY 1))));
