-- 0004: the server's own secrets (store.Secrets), such as the key that
-- signs pagination tokens, created once and kept across restarts.
CREATE TABLE IF NOT EXISTS server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
