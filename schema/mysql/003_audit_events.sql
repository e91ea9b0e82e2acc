-- govtrack schema 003 for MariaDB/MySQL: the audit trail (SPEC 4.8), the same table as
-- schema/sqlite/003_audit_events.sql. Appends from every instance are serialised by locking the one row of
-- audit_chain_lock (SELECT ... FOR UPDATE) until the appending transaction ends.
CREATE TABLE IF NOT EXISTS audit_event (
    seq           BIGINT      NOT NULL PRIMARY KEY,
    at            VARCHAR(20) NOT NULL,
    actor_id      VARCHAR(64),
    actor_name    TEXT        NOT NULL,
    entity_type   VARCHAR(32) NOT NULL,
    entity_id     VARCHAR(64) NOT NULL,
    change_kind   VARCHAR(32) NOT NULL,
    before_state  MEDIUMTEXT  NOT NULL,
    after_state   MEDIUMTEXT  NOT NULL,
    reason        TEXT        NOT NULL,
    prev_hash     VARCHAR(64) NOT NULL,
    hash          VARCHAR(64) NOT NULL,
    -- As-of reports take each entity's latest event before a cutoff (EventRepository::latestBefore).
    KEY audit_event_entity (entity_type, entity_id, seq, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS audit_chain_lock (
    id  INTEGER NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO audit_chain_lock (id) VALUES (1);
