-- govtrack schema 004 for MariaDB/MySQL: risk registers and risks (SPEC 3, 4.5; issue 4). The same tables,
-- columns and constraints as schema/sqlite/004_risks.sql in the MySQL dialect (InnoDB, utf8mb4,
-- COLLATE utf8mb4_bin). The one ALTER TABLE on risk adds every column, key and constraint in a single
-- statement; the migration runner treats "duplicate column" (1060) on an ALTER TABLE as already applied.

CREATE TABLE IF NOT EXISTS risk_register (
    id                     VARCHAR(64)  NOT NULL PRIMARY KEY,
    name                   VARCHAR(255) NOT NULL UNIQUE,
    level                  VARCHAR(32)  NOT NULL CHECK (level IN ('strategic', 'divisional', 'programme')),
    owner_unit_id          VARCHAR(64),
    owner_group_id         VARCHAR(64),
    escalation_threshold   INTEGER NOT NULL CHECK (escalation_threshold >= 1),
    review_frequency_days  INTEGER NOT NULL CHECK (review_frequency_days >= 1),
    FOREIGN KEY (owner_unit_id) REFERENCES org_unit(id),
    FOREIGN KEY (owner_group_id) REFERENCES governance_group(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS risk_tolerance (
    register_id  VARCHAR(64)  NOT NULL,
    category     VARCHAR(255) NOT NULL,
    appetite     VARCHAR(32)  NOT NULL CHECK (appetite IN ('averse', 'minimal', 'cautious', 'open', 'eager')),
    PRIMARY KEY (register_id, category),
    FOREIGN KEY (register_id) REFERENCES risk_register(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE risk
    ADD COLUMN register_id VARCHAR(64),
    ADD COLUMN cause TEXT NOT NULL DEFAULT '',
    ADD COLUMN risk_event TEXT NOT NULL DEFAULT '',
    ADD COLUMN effect TEXT NOT NULL DEFAULT '',
    ADD COLUMN category VARCHAR(255) NOT NULL DEFAULT '',
    ADD COLUMN inherent_likelihood INTEGER CHECK (inherent_likelihood >= 1),
    ADD COLUMN inherent_impact INTEGER CHECK (inherent_impact >= 1),
    ADD COLUMN current_likelihood INTEGER CHECK (current_likelihood >= 1),
    ADD COLUMN current_impact INTEGER CHECK (current_impact >= 1),
    ADD COLUMN target_likelihood INTEGER CHECK (target_likelihood >= 1),
    ADD COLUMN target_impact INTEGER CHECK (target_impact >= 1),
    ADD COLUMN target_reason TEXT NOT NULL DEFAULT '',
    ADD COLUMN controls TEXT NOT NULL DEFAULT '',
    ADD COLUMN linked_recommendations TEXT NOT NULL DEFAULT '',
    ADD COLUMN linked_actions TEXT NOT NULL DEFAULT '',
    ADD COLUMN last_review VARCHAR(10),
    ADD COLUMN next_review VARCHAR(10),
    ADD COLUMN status VARCHAR(32) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    ADD COLUMN parent_id VARCHAR(64),
    ADD KEY risk_register_ref (register_id),
    ADD KEY risk_parent (parent_id),
    ADD CONSTRAINT risk_register_fk FOREIGN KEY (register_id) REFERENCES risk_register(id),
    ADD CONSTRAINT risk_parent_fk FOREIGN KEY (parent_id) REFERENCES risk(id);

CREATE TABLE IF NOT EXISTS risk_owner (
    risk_id    VARCHAR(64) NOT NULL,
    position   INTEGER NOT NULL,
    person_id  VARCHAR(64) NOT NULL,
    PRIMARY KEY (risk_id, position),
    FOREIGN KEY (risk_id) REFERENCES risk(id),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS risk_score_change (
    risk_id              VARCHAR(64) NOT NULL,
    number               INTEGER NOT NULL,
    changed_at           VARCHAR(20) NOT NULL,
    change_date          VARCHAR(10) NOT NULL,
    actor_id             VARCHAR(64),
    actor_name           TEXT NOT NULL,
    inherent_likelihood  INTEGER,
    inherent_impact      INTEGER,
    current_likelihood   INTEGER,
    current_impact       INTEGER,
    target_likelihood    INTEGER,
    target_impact        INTEGER,
    reason               TEXT NOT NULL,
    PRIMARY KEY (risk_id, number),
    FOREIGN KEY (risk_id) REFERENCES risk(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS risk_escalation (
    risk_id            VARCHAR(64) NOT NULL,
    number             INTEGER NOT NULL,
    kind               VARCHAR(32) NOT NULL CHECK (kind IN ('escalate', 'de_escalate', 'no_escalation')),
    strategic_risk_id  VARCHAR(64),
    group_id           VARCHAR(64) NOT NULL,
    decided_by_id      VARCHAR(64),
    decided_by_name    TEXT NOT NULL,
    decision_date      VARCHAR(10) NOT NULL,
    decided_at         VARCHAR(20) NOT NULL,
    reason             TEXT NOT NULL,
    PRIMARY KEY (risk_id, number),
    FOREIGN KEY (risk_id) REFERENCES risk(id),
    FOREIGN KEY (strategic_risk_id) REFERENCES risk(id),
    FOREIGN KEY (group_id) REFERENCES governance_group(id),
    FOREIGN KEY (decided_by_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
