-- govtrack schema 005 for MariaDB/MySQL: reminders (SPEC 4.6), the same tables as
-- schema/sqlite/005_reminders.sql. The UNIQUE key reminder_identity is shared by every instance on the
-- database: a second sweep's INSERT IGNORE of the same identity waits for the first's transaction and
-- then inserts nothing, so a reminder is recorded -- and sent -- once.
CREATE TABLE IF NOT EXISTS reminder (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    recipient_id    VARCHAR(64)  NOT NULL,
    item_kind       VARCHAR(32)  NOT NULL,
    item_id         VARCHAR(64)  NOT NULL,
    rule            VARCHAR(64)  NOT NULL,
    occurrence      VARCHAR(10)  NOT NULL,
    message_id      VARCHAR(64)  NOT NULL,
    send_day        VARCHAR(10)  NOT NULL,
    reference       VARCHAR(255) NOT NULL,
    title           TEXT         NOT NULL,
    due_date        VARCHAR(10)  NOT NULL,
    days_overdue    INTEGER      NOT NULL,
    owner_inactive  INTEGER      NOT NULL,
    recipient_as    VARCHAR(32)  NOT NULL,
    created_at      VARCHAR(20)  NOT NULL,
    read_at         VARCHAR(20),
    UNIQUE KEY reminder_identity (recipient_id, item_id, rule, occurrence),
    KEY reminder_inbox (recipient_id, created_at),
    KEY reminder_message (message_id),
    KEY reminder_send_day (send_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS outbox_message (
    id               VARCHAR(64)  NOT NULL PRIMARY KEY,
    recipient_id     VARCHAR(64)  NOT NULL,
    recipient_email  VARCHAR(320) NOT NULL,
    digest_day       VARCHAR(10)  NOT NULL,
    subject          TEXT         NOT NULL,
    text_body        MEDIUMTEXT   NOT NULL,
    html_body        MEDIUMTEXT   NOT NULL,
    status           VARCHAR(16)  NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  VARCHAR(20)  NOT NULL,
    last_error       TEXT         NOT NULL DEFAULT '',
    created_at       VARCHAR(20)  NOT NULL,
    sent_at          VARCHAR(20),
    KEY outbox_due (status, next_attempt_at),
    KEY outbox_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS feed_token (
    token_hash  VARCHAR(64) NOT NULL PRIMARY KEY,
    person_id   VARCHAR(64) NOT NULL,
    created_at  VARCHAR(20) NOT NULL,
    revoked_at  VARCHAR(20),
    KEY feed_token_person (person_id),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
