-- govtrack schema 005: reminders (SPEC 4.6). reminder is the ledger of reminders recorded, one row per
-- identity (recipient, item, rule, occurrence) -- the UNIQUE key is what makes a reminder go out exactly once,
-- whatever sweeps, restarts or instances race -- and it is also each person's in-app inbox (read_at).
-- outbox_message holds one digest e-mail per recipient and sweep; the delivery worker claims, sends, retries
-- and parks them. feed_token holds SHA-256 hashes of iCalendar feed tokens. Times are UTC text (formatUtc).
CREATE TABLE reminder (
    id              TEXT PRIMARY KEY,
    recipient_id    TEXT NOT NULL,
    item_kind       TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    rule            TEXT NOT NULL,
    occurrence      TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    send_day        TEXT NOT NULL,
    reference       TEXT NOT NULL,
    title           TEXT NOT NULL,
    due_date        TEXT NOT NULL,
    days_overdue    INTEGER NOT NULL,
    owner_inactive  INTEGER NOT NULL,
    recipient_as    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    UNIQUE (recipient_id, item_id, rule, occurrence)
);
CREATE INDEX reminder_inbox ON reminder (recipient_id, created_at);
CREATE INDEX reminder_message ON reminder (message_id);
CREATE INDEX reminder_send_day ON reminder (send_day);

CREATE TABLE outbox_message (
    id               TEXT PRIMARY KEY,
    recipient_id     TEXT NOT NULL,
    recipient_email  TEXT NOT NULL,
    digest_day       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox_message (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox_message (created_at);

CREATE TABLE feed_token (
    token_hash  TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person(id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX feed_token_person ON feed_token (person_id);
