-- govtrack schema 006 for MariaDB/MySQL: sign-in (SPEC 1, 4.9; issue 7), the same tables as
-- schema/sqlite/006_accounts.sql. COLLATE utf8mb4_bin as every table: usernames, token and session hashes
-- compare by code point ('Alice' and 'alice' are different keys; the service stores usernames lower-case).
-- One extra column: api_tokens.seq (AUTO_INCREMENT) records the order added, which SQLite keeps in its
-- rowid; listTokens orders by created_at, then seq, on both stores.

CREATE TABLE IF NOT EXISTS users (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    username       VARCHAR(255) NOT NULL UNIQUE,
    display_name   TEXT         NOT NULL,
    person_id      VARCHAR(64),
    disabled       INTEGER      NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash  TEXT         NOT NULL,
    created_at     VARCHAR(40)  NOT NULL,
    version        BIGINT       NOT NULL DEFAULT 1,
    KEY users_person (person_id),
    FOREIGN KEY (person_id) REFERENCES person(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS user_roles (
    user_id  VARCHAR(64) NOT NULL,
    role     VARCHAR(32) NOT NULL CHECK (role IN ('admin', 'secretariat', 'auditor', 'viewer')),
    PRIMARY KEY (user_id, role),
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS api_tokens (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    seq           BIGINT       NOT NULL AUTO_INCREMENT UNIQUE,
    user_id       VARCHAR(64)  NOT NULL,
    name          TEXT         NOT NULL,
    secret_hash   VARCHAR(128) NOT NULL UNIQUE,
    scope         VARCHAR(16)  NOT NULL CHECK (scope IN ('owner', 'viewer', 'auditor', 'secretariat', 'admin')),
    created_at    VARCHAR(40)  NOT NULL,
    revoked_at    VARCHAR(40),
    last_used_at  VARCHAR(40),
    KEY api_tokens_user (user_id),
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Not carried by `govtrack copy`: a copy signs everyone out.
CREATE TABLE IF NOT EXISTS web_sessions (
    id_hash         VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id         VARCHAR(64)  NOT NULL,
    csrf_token      VARCHAR(255) NOT NULL,
    created_at      VARCHAR(40)  NOT NULL,
    last_seen_at    VARCHAR(40)  NOT NULL,
    ended_at        VARCHAR(40),
    source_address  VARCHAR(255) NOT NULL,
    KEY web_sessions_user (user_id),
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
