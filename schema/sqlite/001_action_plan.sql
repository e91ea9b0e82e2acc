-- govtrack schema 001: the management action plan (SPEC 3).
-- Ids are application-generated TEXT. Dates are ISO 8601 TEXT ("2025-12-31"); a *_precision column
-- says whether the source gave a day ('day') or only a month ('month', date = last day of month).
-- Dates that only need display (engagement timescale) use reduced-precision ISO: "2024-10".

CREATE TABLE org_unit (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('directorate', 'division', 'team')),
    parent_id  TEXT REFERENCES org_unit(id)
);

CREATE TABLE person (
    id               TEXT PRIMARY KEY,
    role_title       TEXT NOT NULL UNIQUE,
    email            TEXT NOT NULL DEFAULT '',
    unit_id          TEXT REFERENCES org_unit(id),
    line_manager_id  TEXT REFERENCES person(id),
    active           INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE governance_group (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    parent_id          TEXT REFERENCES governance_group(id),
    purpose            TEXT NOT NULL DEFAULT '',
    remit              TEXT NOT NULL DEFAULT '',
    meeting_frequency  TEXT NOT NULL DEFAULT '',
    quorum             TEXT NOT NULL DEFAULT '',
    effective_from     TEXT,
    effective_to       TEXT,
    superseded_by_id   TEXT REFERENCES governance_group(id)
);

CREATE TABLE risk (
    id           TEXT PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL DEFAULT 'strategic'
);

CREATE TABLE engagement (
    id                 TEXT PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    audit_year         TEXT NOT NULL DEFAULT '',
    scope              TEXT NOT NULL DEFAULT '',
    remit_items        TEXT NOT NULL DEFAULT '',   -- one item per line
    key_risks          TEXT NOT NULL DEFAULT '',   -- one risk per line
    fieldwork_start    TEXT,
    fieldwork_end      TEXT,
    draft_report_date  TEXT,
    final_report_date  TEXT,
    resource_days      INTEGER,
    issue_date         TEXT,
    assurance_level    TEXT CHECK (assurance_level IN ('substantial', 'reasonable', 'limited', 'insufficient')),
    status             TEXT NOT NULL CHECK (status IN ('planned', 'fieldwork', 'draft', 'final', 'closed')),
    follows_up_id      TEXT REFERENCES engagement(id),
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE finding (
    id                     TEXT PRIMARY KEY,
    engagement_id          TEXT NOT NULL REFERENCES engagement(id),
    number                 TEXT NOT NULL,
    kind                   TEXT NOT NULL CHECK (kind IN ('good_practice', 'improvement_opportunity')),
    text                   TEXT NOT NULL DEFAULT '',
    recommendation_number  INTEGER,
    UNIQUE (engagement_id, number)
);

CREATE TABLE recommendation (
    id                   TEXT PRIMARY KEY,
    engagement_id        TEXT NOT NULL REFERENCES engagement(id),
    number               INTEGER NOT NULL,
    title                TEXT NOT NULL,
    issue                TEXT NOT NULL DEFAULT '',
    risk                 TEXT NOT NULL DEFAULT '',
    recommendation_text  TEXT NOT NULL DEFAULT '',
    priority             TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    management_response  TEXT NOT NULL CHECK (management_response IN
                             ('accepted', 'partially_accepted', 'risk_tolerated', 'rejected')),
    response_text        TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (engagement_id, number)
);

CREATE TABLE recommendation_risk (
    recommendation_id  TEXT NOT NULL REFERENCES recommendation(id),
    risk_reference     TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, risk_reference)
);

CREATE TABLE action (
    id                         TEXT PRIMARY KEY,
    recommendation_id          TEXT NOT NULL REFERENCES recommendation(id),
    number                     INTEGER NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    lead_owner_id              TEXT REFERENCES person(id),
    original_target_date       TEXT,
    original_target_precision  TEXT CHECK (original_target_precision IN ('day', 'month')),
    status                     TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented',
                                   'verified', 'risk_accepted', 'superseded', 'withdrawn')),
    pillar                     TEXT,
    line_of_defence            TEXT,
    auditor_assessment         TEXT NOT NULL DEFAULT '',
    version                    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (recommendation_id, number)
);
CREATE INDEX action_lead_owner ON action(lead_owner_id);

CREATE TABLE action_co_owner (
    action_id  TEXT NOT NULL REFERENCES action(id),
    position   INTEGER NOT NULL,
    person_id  TEXT NOT NULL REFERENCES person(id),
    PRIMARY KEY (action_id, position)
);
CREATE INDEX action_co_owner_person ON action_co_owner(person_id);

-- Approved revised target dates, oldest first (seq 1, 2, ...). SPEC 4.3.
CREATE TABLE revised_target_date (
    action_id        TEXT NOT NULL REFERENCES action(id),
    seq              INTEGER NOT NULL,
    new_date         TEXT NOT NULL,
    new_precision    TEXT NOT NULL CHECK (new_precision IN ('day', 'month')),
    reason           TEXT NOT NULL DEFAULT '',
    requested_by_id  TEXT REFERENCES person(id),
    approved_by      TEXT NOT NULL DEFAULT '',
    decision_date    TEXT,
    PRIMARY KEY (action_id, seq)
);

CREATE TABLE progress_update (
    id           TEXT PRIMARY KEY,
    action_id    TEXT NOT NULL REFERENCES action(id),
    update_date  TEXT NOT NULL,
    author_id    TEXT REFERENCES person(id),
    text         TEXT NOT NULL,
    percent      INTEGER CHECK (percent BETWEEN 0 AND 100)
);
-- The follow-up report reads the latest update per action: (action_id, update_date) serves it.
CREATE INDEX progress_update_action_date ON progress_update(action_id, update_date);
