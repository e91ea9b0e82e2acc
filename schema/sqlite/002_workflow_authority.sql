-- govtrack schema 002: workflow authority (SPEC 1, 3, 4.1, 4.3, 4.4): system roles, group members and
-- delegated powers, the group decision behind a closed action, revised-target-date requests and evidence.
-- Enum values are the snake_case names of domain/Model.cpp. Dates are ISO 8601 TEXT as in 001; a decision
-- (GroupDecision) is stored as *_group_id, *_decided_by_id, *_date, *_power, *_reference: all NULL when
-- there is none, group, date, power and reference all present when there is one.

CREATE TABLE person_role (
    person_id  TEXT NOT NULL REFERENCES person(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'auditor', 'viewer')),
    PRIMARY KEY (person_id, role)
);

CREATE TABLE group_member (
    group_id   TEXT NOT NULL REFERENCES governance_group(id),
    person_id  TEXT NOT NULL REFERENCES person(id),
    role       TEXT NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_member_person ON group_member(person_id);

-- Delegated powers in the order the terms of reference list them (position 1, 2, ...). NULL limit: none.
CREATE TABLE group_power (
    group_id             TEXT NOT NULL REFERENCES governance_group(id),
    position             INTEGER NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('approve_revised_date', 'accept_risk',
                             'close_recommendation', 'withdraw_action')),
    max_priority         TEXT CHECK (max_priority IN ('high', 'medium', 'low')),
    max_total_slip_days  INTEGER CHECK (max_total_slip_days >= 0),
    PRIMARY KEY (group_id, position)
);

ALTER TABLE action ADD COLUMN responsible_group_id TEXT REFERENCES governance_group(id);
ALTER TABLE action ADD COLUMN superseded_by_action_id TEXT REFERENCES action(id);
ALTER TABLE action ADD COLUMN closure_group_id TEXT REFERENCES governance_group(id);
ALTER TABLE action ADD COLUMN closure_decided_by_id TEXT REFERENCES person(id);
ALTER TABLE action ADD COLUMN closure_date TEXT;
ALTER TABLE action ADD COLUMN closure_power TEXT CHECK (closure_power IN ('approve_revised_date', 'accept_risk',
    'close_recommendation', 'withdraw_action'));
ALTER TABLE action ADD COLUMN closure_reference TEXT CHECK ((closure_group_id IS NULL AND closure_decided_by_id IS NULL
    AND closure_date IS NULL AND closure_power IS NULL AND closure_reference IS NULL) OR (closure_group_id IS NOT NULL
    AND closure_date IS NOT NULL AND closure_power IS NOT NULL AND closure_reference IS NOT NULL));
CREATE INDEX action_responsible_group ON action(responsible_group_id);

-- An owner's request for a revised target date (SPEC 4.3); versioned like action.
CREATE TABLE revision_request (
    id                      TEXT PRIMARY KEY,
    action_id               TEXT NOT NULL REFERENCES action(id),
    requested_date          TEXT NOT NULL,
    requested_precision     TEXT NOT NULL CHECK (requested_precision IN ('day', 'month')),
    reason                  TEXT NOT NULL DEFAULT '',
    requested_by_id         TEXT REFERENCES person(id),
    requested_on            TEXT NOT NULL,
    routed_to_group_id      TEXT REFERENCES governance_group(id),
    status                  TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    decision_group_id       TEXT REFERENCES governance_group(id),
    decision_decided_by_id  TEXT REFERENCES person(id),
    decision_date           TEXT,
    decision_power          TEXT CHECK (decision_power IN ('approve_revised_date', 'accept_risk',
                                'close_recommendation', 'withdraw_action')),
    decision_reference      TEXT,
    decision_note           TEXT NOT NULL DEFAULT '',
    version                 INTEGER NOT NULL DEFAULT 1,
    CHECK ((decision_group_id IS NULL AND decision_decided_by_id IS NULL AND decision_date IS NULL
            AND decision_power IS NULL AND decision_reference IS NULL)
        OR (decision_group_id IS NOT NULL AND decision_date IS NOT NULL AND decision_power IS NOT NULL
            AND decision_reference IS NOT NULL))
);
-- listByAction (oldest first) and listPending (by group, oldest first).
CREATE INDEX revision_request_action ON revision_request(action_id, requested_on, id);
CREATE INDEX revision_request_pending ON revision_request(status, routed_to_group_id, requested_on, id);

-- Evidence attached to an action, with the file's bytes (empty for a note without a file).
CREATE TABLE evidence (
    id                  TEXT PRIMARY KEY,
    action_id           TEXT NOT NULL REFERENCES action(id),
    progress_update_id  TEXT REFERENCES progress_update(id),
    file_name           TEXT NOT NULL DEFAULT '',
    media_type          TEXT NOT NULL DEFAULT '',
    size_bytes          INTEGER NOT NULL CHECK (size_bytes >= 0),
    sha256              TEXT NOT NULL DEFAULT '',
    added_on            TEXT NOT NULL,
    added_by_id         TEXT REFERENCES person(id),
    note                TEXT NOT NULL DEFAULT '',
    content             BLOB NOT NULL
);
CREATE INDEX evidence_action ON evidence(action_id);
