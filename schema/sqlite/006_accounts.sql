-- govtrack schema 006: sign-in (SPEC 1, 4.9; issue 7). Local user accounts with their system roles, API tokens
-- for scripts and server-side web sessions (domain/Accounts.h). No secret is stored: password_hash is an
-- Argon2id encoded string, secret_hash and id_hash are the SHA-256 hex of the token or cookie value.
-- Instants are ISO 8601 UTC TEXT ("2026-01-05T12:00:00Z"). A user's roles are rows of user_roles, as a
-- person's are rows of person_role (002), with the same role names.

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    person_id      TEXT REFERENCES person(id),
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_person ON users(person_id);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users(id),
    role     TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'auditor', 'viewer')),
    PRIMARY KEY (user_id, role)
);

-- listTokens is oldest first: created_at, then the order added (rowid; storage_mysql keeps a seq column).
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    secret_hash   TEXT NOT NULL UNIQUE,
    scope         TEXT NOT NULL CHECK (scope IN ('owner', 'viewer', 'auditor', 'secretariat', 'admin')),
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    last_used_at  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Not carried by `govtrack copy`: a copy signs everyone out.
CREATE TABLE web_sessions (
    id_hash         TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    csrf_token      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL,
    ended_at        TEXT,
    source_address  TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);
