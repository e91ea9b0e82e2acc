-- govtrack schema 002 for MariaDB/MySQL: workflow authority (SPEC 1, 3, 4.1, 4.3, 4.4). The same tables,
-- columns and constraints as schema/sqlite/002_workflow_authority.sql, in the MySQL dialect (InnoDB,
-- utf8mb4, COLLATE utf8mb4_bin, as 001). A decision (GroupDecision) is *_group_id, *_decided_by_id, *_date,
-- *_power, *_reference: all NULL when there is none; group, date, power and reference present when there is.
-- Re-running after an interruption: CREATE TABLE says IF NOT EXISTS, and the one ALTER TABLE on action adds
-- every column, key and constraint in a single statement (InnoDB rebuilds the table: all or nothing); the
-- migration runner treats "duplicate column" (1060) on an ALTER TABLE as already applied.

CREATE TABLE IF NOT EXISTS person_role (
    person_id  VARCHAR(64) NOT NULL,
    role       VARCHAR(32) NOT NULL CHECK (role IN ('admin', 'secretariat', 'auditor', 'viewer')),
    PRIMARY KEY (person_id, role),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS group_member (
    group_id   VARCHAR(64) NOT NULL,
    person_id  VARCHAR(64) NOT NULL,
    role       VARCHAR(32) NOT NULL CHECK (role IN ('chair', 'secretary', 'member')),
    PRIMARY KEY (group_id, person_id),
    KEY group_member_person (person_id),
    FOREIGN KEY (group_id) REFERENCES governance_group(id),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Delegated powers in the order the terms of reference list them (position 1, 2, ...). NULL limit: none.
CREATE TABLE IF NOT EXISTS group_power (
    group_id             VARCHAR(64) NOT NULL,
    position             INTEGER NOT NULL,
    kind                 VARCHAR(32) NOT NULL CHECK (kind IN ('approve_revised_date', 'accept_risk',
                             'close_recommendation', 'withdraw_action')),
    max_priority         VARCHAR(32) CHECK (max_priority IN ('high', 'medium', 'low')),
    max_total_slip_days  INTEGER CHECK (max_total_slip_days >= 0),
    PRIMARY KEY (group_id, position),
    FOREIGN KEY (group_id) REFERENCES governance_group(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE action
    ADD COLUMN responsible_group_id VARCHAR(64),
    ADD COLUMN superseded_by_action_id VARCHAR(64),
    ADD COLUMN closure_group_id VARCHAR(64),
    ADD COLUMN closure_decided_by_id VARCHAR(64),
    ADD COLUMN closure_date VARCHAR(10),
    ADD COLUMN closure_power VARCHAR(32) CHECK (closure_power IN ('approve_revised_date', 'accept_risk',
        'close_recommendation', 'withdraw_action')),
    ADD COLUMN closure_reference TEXT,
    ADD KEY action_responsible_group (responsible_group_id),
    ADD CONSTRAINT action_responsible_group_fk FOREIGN KEY (responsible_group_id) REFERENCES governance_group(id),
    ADD CONSTRAINT action_superseded_by_fk FOREIGN KEY (superseded_by_action_id) REFERENCES action(id),
    ADD CONSTRAINT action_closure_group_fk FOREIGN KEY (closure_group_id) REFERENCES governance_group(id),
    ADD CONSTRAINT action_closure_decided_by_fk FOREIGN KEY (closure_decided_by_id) REFERENCES person(id),
    ADD CONSTRAINT action_closure_complete CHECK ((closure_group_id IS NULL AND closure_decided_by_id IS NULL
        AND closure_date IS NULL AND closure_power IS NULL AND closure_reference IS NULL) OR (closure_group_id IS NOT NULL
        AND closure_date IS NOT NULL AND closure_power IS NOT NULL AND closure_reference IS NOT NULL));

-- An owner's request for a revised target date (SPEC 4.3); versioned like action.
CREATE TABLE IF NOT EXISTS revision_request (
    id                      VARCHAR(64) NOT NULL PRIMARY KEY,
    action_id               VARCHAR(64) NOT NULL,
    requested_date          VARCHAR(10) NOT NULL,
    requested_precision     VARCHAR(8) NOT NULL CHECK (requested_precision IN ('day', 'month')),
    reason                  TEXT NOT NULL DEFAULT '',
    requested_by_id         VARCHAR(64),
    requested_on            VARCHAR(10) NOT NULL,
    routed_to_group_id      VARCHAR(64),
    status                  VARCHAR(32) NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    decision_group_id       VARCHAR(64),
    decision_decided_by_id  VARCHAR(64),
    decision_date           VARCHAR(10),
    decision_power          VARCHAR(32) CHECK (decision_power IN ('approve_revised_date', 'accept_risk',
                                'close_recommendation', 'withdraw_action')),
    decision_reference      TEXT,
    decision_note           TEXT NOT NULL DEFAULT '',
    version                 BIGINT NOT NULL DEFAULT 1,
    CONSTRAINT revision_request_decision_complete CHECK ((decision_group_id IS NULL AND decision_decided_by_id IS NULL
            AND decision_date IS NULL AND decision_power IS NULL AND decision_reference IS NULL)
        OR (decision_group_id IS NOT NULL AND decision_date IS NOT NULL AND decision_power IS NOT NULL
            AND decision_reference IS NOT NULL)),
    -- listByAction (oldest first) and listPending (by group, oldest first).
    KEY revision_request_action (action_id, requested_on, id),
    KEY revision_request_pending (status, routed_to_group_id, requested_on, id),
    FOREIGN KEY (action_id) REFERENCES action(id),
    FOREIGN KEY (requested_by_id) REFERENCES person(id),
    FOREIGN KEY (routed_to_group_id) REFERENCES governance_group(id),
    FOREIGN KEY (decision_group_id) REFERENCES governance_group(id),
    FOREIGN KEY (decision_decided_by_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Evidence attached to an action, with the file's bytes (empty for a note without a file).
CREATE TABLE IF NOT EXISTS evidence (
    id                  VARCHAR(64) NOT NULL PRIMARY KEY,
    action_id           VARCHAR(64) NOT NULL,
    progress_update_id  VARCHAR(64),
    file_name           TEXT NOT NULL DEFAULT '',
    media_type          VARCHAR(255) NOT NULL DEFAULT '',
    size_bytes          BIGINT NOT NULL CHECK (size_bytes >= 0),
    sha256              VARCHAR(64) NOT NULL DEFAULT '',
    added_on            VARCHAR(10) NOT NULL,
    added_by_id         VARCHAR(64),
    note                TEXT NOT NULL DEFAULT '',
    content             LONGBLOB NOT NULL,
    KEY evidence_action (action_id),
    FOREIGN KEY (action_id) REFERENCES action(id),
    FOREIGN KEY (progress_update_id) REFERENCES progress_update(id),
    FOREIGN KEY (added_by_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
