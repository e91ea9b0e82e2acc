-- govtrack schema 001 for MariaDB/MySQL: the management action plan (SPEC 3).
-- The same tables, columns and constraints as schema/sqlite/001_action_plan.sql, in the MySQL dialect.
-- InnoDB (transactions, foreign keys), utf8mb4 (4-byte characters). Every table is COLLATE utf8mb4_bin so
-- text compares and sorts by code point, like SQLite's BINARY: 'ABC' and 'abc' are different keys.
-- (utf8mb4_bin pads with spaces when comparing: 'abc' and 'abc ' collide here but not in SQLite.)
-- Ids are application-generated; dates are ISO 8601 text with a *_precision column, as in SQLite.
-- Indexes are declared inside CREATE TABLE and every statement says IF NOT EXISTS: MySQL DDL commits
-- implicitly, so a migration interrupted half-way is completed by simply running it again.
-- One extra column: progress_update.seq (AUTO_INCREMENT) records insertion order, which SQLite keeps
-- in its implicit rowid; "latest update" ties on the same date are broken by it on both stores.

CREATE TABLE IF NOT EXISTS org_unit (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name       VARCHAR(255) NOT NULL UNIQUE,
    kind       VARCHAR(32)  NOT NULL CHECK (kind IN ('directorate', 'division', 'team')),
    parent_id  VARCHAR(64),
    FOREIGN KEY (parent_id) REFERENCES org_unit(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS person (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    role_title       VARCHAR(255) NOT NULL UNIQUE,
    email            VARCHAR(320) NOT NULL DEFAULT '',
    unit_id          VARCHAR(64),
    line_manager_id  VARCHAR(64),
    active           INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (unit_id) REFERENCES org_unit(id),
    FOREIGN KEY (line_manager_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS governance_group (
    id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    name               VARCHAR(255) NOT NULL UNIQUE,
    kind               VARCHAR(32)  NOT NULL,
    parent_id          VARCHAR(64),
    purpose            TEXT NOT NULL DEFAULT '',
    remit              TEXT NOT NULL DEFAULT '',
    meeting_frequency  VARCHAR(255) NOT NULL DEFAULT '',
    quorum             VARCHAR(255) NOT NULL DEFAULT '',
    effective_from     VARCHAR(10),
    effective_to       VARCHAR(10),
    superseded_by_id   VARCHAR(64),
    FOREIGN KEY (parent_id) REFERENCES governance_group(id),
    FOREIGN KEY (superseded_by_id) REFERENCES governance_group(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS risk (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    reference    VARCHAR(255) NOT NULL UNIQUE,
    title        TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    level        VARCHAR(32) NOT NULL DEFAULT 'strategic'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS engagement (
    id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    reference          VARCHAR(255) NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    audit_year         VARCHAR(32) NOT NULL DEFAULT '',
    scope              TEXT NOT NULL DEFAULT '',
    remit_items        TEXT NOT NULL DEFAULT '',
    key_risks          TEXT NOT NULL DEFAULT '',
    fieldwork_start    VARCHAR(10),
    fieldwork_end      VARCHAR(10),
    draft_report_date  VARCHAR(10),
    final_report_date  VARCHAR(10),
    resource_days      INTEGER,
    issue_date         VARCHAR(10),
    assurance_level    VARCHAR(32) CHECK (assurance_level IN ('substantial', 'reasonable', 'limited', 'insufficient')),
    status             VARCHAR(32) NOT NULL CHECK (status IN ('planned', 'fieldwork', 'draft', 'final', 'closed')),
    follows_up_id      VARCHAR(64),
    version            BIGINT NOT NULL DEFAULT 1,
    FOREIGN KEY (follows_up_id) REFERENCES engagement(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS finding (
    id                     VARCHAR(64) NOT NULL PRIMARY KEY,
    engagement_id          VARCHAR(64) NOT NULL,
    number                 VARCHAR(64) NOT NULL,
    kind                   VARCHAR(32) NOT NULL CHECK (kind IN ('good_practice', 'improvement_opportunity')),
    text                   TEXT NOT NULL DEFAULT '',
    recommendation_number  INTEGER,
    UNIQUE (engagement_id, number),
    FOREIGN KEY (engagement_id) REFERENCES engagement(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS recommendation (
    id                   VARCHAR(64) NOT NULL PRIMARY KEY,
    engagement_id        VARCHAR(64) NOT NULL,
    number               INTEGER NOT NULL,
    title                TEXT NOT NULL,
    issue                TEXT NOT NULL DEFAULT '',
    risk                 TEXT NOT NULL DEFAULT '',
    recommendation_text  TEXT NOT NULL DEFAULT '',
    priority             VARCHAR(32) NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    management_response  VARCHAR(32) NOT NULL CHECK (management_response IN
                             ('accepted', 'partially_accepted', 'risk_tolerated', 'rejected')),
    response_text        TEXT NOT NULL DEFAULT '',
    version              BIGINT NOT NULL DEFAULT 1,
    UNIQUE (engagement_id, number),
    FOREIGN KEY (engagement_id) REFERENCES engagement(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS recommendation_risk (
    recommendation_id  VARCHAR(64)  NOT NULL,
    risk_reference     VARCHAR(255) NOT NULL,
    PRIMARY KEY (recommendation_id, risk_reference),
    FOREIGN KEY (recommendation_id) REFERENCES recommendation(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS action (
    id                         VARCHAR(64) NOT NULL PRIMARY KEY,
    recommendation_id          VARCHAR(64) NOT NULL,
    number                     INTEGER NOT NULL,
    description                TEXT NOT NULL DEFAULT '',
    lead_owner_id              VARCHAR(64),
    original_target_date       VARCHAR(10),
    original_target_precision  VARCHAR(8) CHECK (original_target_precision IN ('day', 'month')),
    status                     VARCHAR(32) NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented',
                                   'verified', 'risk_accepted', 'superseded', 'withdrawn')),
    pillar                     VARCHAR(64),
    line_of_defence            VARCHAR(32),
    auditor_assessment         TEXT NOT NULL DEFAULT '',
    version                    BIGINT NOT NULL DEFAULT 1,
    UNIQUE (recommendation_id, number),
    KEY action_lead_owner (lead_owner_id),
    FOREIGN KEY (recommendation_id) REFERENCES recommendation(id),
    FOREIGN KEY (lead_owner_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS action_co_owner (
    action_id  VARCHAR(64) NOT NULL,
    position   INTEGER NOT NULL,
    person_id  VARCHAR(64) NOT NULL,
    PRIMARY KEY (action_id, position),
    KEY action_co_owner_person (person_id),
    FOREIGN KEY (action_id) REFERENCES action(id),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Approved revised target dates, oldest first (seq 1, 2, ...). SPEC 4.3.
CREATE TABLE IF NOT EXISTS revised_target_date (
    action_id        VARCHAR(64) NOT NULL,
    seq              INTEGER NOT NULL,
    new_date         VARCHAR(10) NOT NULL,
    new_precision    VARCHAR(8) NOT NULL CHECK (new_precision IN ('day', 'month')),
    reason           TEXT NOT NULL DEFAULT '',
    requested_by_id  VARCHAR(64),
    approved_by      VARCHAR(255) NOT NULL DEFAULT '',
    decision_date    VARCHAR(10),
    PRIMARY KEY (action_id, seq),
    FOREIGN KEY (action_id) REFERENCES action(id),
    FOREIGN KEY (requested_by_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS progress_update (
    id           VARCHAR(64) NOT NULL PRIMARY KEY,
    seq          BIGINT NOT NULL AUTO_INCREMENT UNIQUE,
    action_id    VARCHAR(64) NOT NULL,
    update_date  VARCHAR(10) NOT NULL,
    author_id    VARCHAR(64),
    text         TEXT NOT NULL,
    percent      INTEGER CHECK (percent BETWEEN 0 AND 100),
    -- The follow-up report reads the latest update per action: (action_id, update_date, seq) serves it.
    KEY progress_update_action_date (action_id, update_date, seq),
    FOREIGN KEY (action_id) REFERENCES action(id),
    FOREIGN KEY (author_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
