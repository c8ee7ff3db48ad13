-- 0003: the server's own secrets (store.Secrets), such as the key that
-- signs pagination tokens, created once and shared by every node.
CREATE TABLE IF NOT EXISTS server_secrets (
    name  text  PRIMARY KEY,
    value bytea NOT NULL
);
