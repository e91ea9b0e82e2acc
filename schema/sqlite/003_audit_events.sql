-- govtrack schema 003: the audit trail (SPEC 4.8). One row per change, append-only and hash-chained:
-- hash = SHA-256 over prev_hash and the canonical event (domain/AuditTrail.h). seq runs 1, 2, 3, ... with no
-- gaps; appends are serialised by the write lock (BEGIN IMMEDIATE). before_state/after_state hold the
-- entity's canonical text (domain/AuditCodec.h), "" for none. actor_id has no foreign key: the trail
-- must outlive and never block changes to people.
CREATE TABLE audit_event (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor_id      TEXT,
    actor_name    TEXT NOT NULL,
    entity_type   TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    change_kind   TEXT NOT NULL,
    before_state  TEXT NOT NULL,
    after_state   TEXT NOT NULL,
    reason        TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
-- As-of reports take each entity's latest event before a cutoff (EventRepository::latestBefore).
CREATE INDEX audit_event_entity ON audit_event (entity_type, entity_id, seq, at);
