-- govtrack schema 004: risk registers and risks (SPEC 3, 4.5; issue 4). A register has a level, an owning
-- unit or group, an escalation threshold, a tolerance (appetite) per risk category and a review frequency.
-- A risk gains its register, cause / event / effect, category, inherent / current / target likelihood and
-- impact (1..the scoring matrix's size; the matrix is configuration, so no CHECK on the upper bound here),
-- controls and links (newline-separated text), review dates, status and parent risk. Every score change
-- (risk_score_change) and escalation decision (risk_escalation) is kept, numbered 1, 2, 3 ... per risk.
CREATE TABLE risk_register (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE,
    level                  TEXT NOT NULL CHECK (level IN ('strategic', 'divisional', 'programme')),
    owner_unit_id          TEXT REFERENCES org_unit(id),
    owner_group_id         TEXT REFERENCES governance_group(id),
    escalation_threshold   INTEGER NOT NULL CHECK (escalation_threshold >= 1),
    review_frequency_days  INTEGER NOT NULL CHECK (review_frequency_days >= 1)
);

CREATE TABLE risk_tolerance (
    register_id  TEXT NOT NULL REFERENCES risk_register(id),
    category     TEXT NOT NULL,
    appetite     TEXT NOT NULL CHECK (appetite IN ('averse', 'minimal', 'cautious', 'open', 'eager')),
    PRIMARY KEY (register_id, category)
);

ALTER TABLE risk ADD COLUMN register_id TEXT REFERENCES risk_register(id);
ALTER TABLE risk ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN risk_event TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN effect TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN inherent_likelihood INTEGER CHECK (inherent_likelihood >= 1);
ALTER TABLE risk ADD COLUMN inherent_impact INTEGER CHECK (inherent_impact >= 1);
ALTER TABLE risk ADD COLUMN current_likelihood INTEGER CHECK (current_likelihood >= 1);
ALTER TABLE risk ADD COLUMN current_impact INTEGER CHECK (current_impact >= 1);
ALTER TABLE risk ADD COLUMN target_likelihood INTEGER CHECK (target_likelihood >= 1);
ALTER TABLE risk ADD COLUMN target_impact INTEGER CHECK (target_impact >= 1);
ALTER TABLE risk ADD COLUMN target_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN controls TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN linked_recommendations TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN linked_actions TEXT NOT NULL DEFAULT '';
ALTER TABLE risk ADD COLUMN last_review TEXT;
ALTER TABLE risk ADD COLUMN next_review TEXT;
ALTER TABLE risk ADD COLUMN status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'));
ALTER TABLE risk ADD COLUMN parent_id TEXT REFERENCES risk(id);
CREATE INDEX risk_register_ref ON risk (register_id);
CREATE INDEX risk_parent ON risk (parent_id);

-- A risk's owners in the order given (position 1, 2, ...).
CREATE TABLE risk_owner (
    risk_id    TEXT NOT NULL REFERENCES risk(id),
    position   INTEGER NOT NULL,
    person_id  TEXT NOT NULL REFERENCES person(id),
    PRIMARY KEY (risk_id, position)
);

CREATE TABLE risk_score_change (
    risk_id              TEXT NOT NULL REFERENCES risk(id),
    number               INTEGER NOT NULL,
    changed_at           TEXT NOT NULL,
    change_date          TEXT NOT NULL,
    actor_id             TEXT,
    actor_name           TEXT NOT NULL,
    inherent_likelihood  INTEGER,
    inherent_impact      INTEGER,
    current_likelihood   INTEGER,
    current_impact       INTEGER,
    target_likelihood    INTEGER,
    target_impact        INTEGER,
    reason               TEXT NOT NULL,
    PRIMARY KEY (risk_id, number)
);

CREATE TABLE risk_escalation (
    risk_id            TEXT NOT NULL REFERENCES risk(id),
    number             INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('escalate', 'de_escalate', 'no_escalation')),
    strategic_risk_id  TEXT REFERENCES risk(id),
    group_id           TEXT NOT NULL REFERENCES governance_group(id),
    decided_by_id      TEXT REFERENCES person(id),
    decided_by_name    TEXT NOT NULL,
    decision_date      TEXT NOT NULL,
    decided_at         TEXT NOT NULL,
    reason             TEXT NOT NULL,
    PRIMARY KEY (risk_id, number)
);
