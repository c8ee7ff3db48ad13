-- 0006: state machine versions and aliases (issue 18), the encryption
-- configuration of each revision, and the version and alias an execution
-- was started on. Versions and aliases belong to their machine's row and
-- go with it (ON DELETE CASCADE); last_version is the highest version
-- number the machine gave, so that a deleted number is never given again.
ALTER TABLE state_machines ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE state_machine_revisions ADD COLUMN encryption_configuration TEXT NOT NULL DEFAULT '';

CREATE TABLE state_machine_versions (
	machine_seq   INTEGER NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	number        INTEGER NOT NULL,
	arn           TEXT    NOT NULL UNIQUE,
	revision_id   TEXT    NOT NULL,
	description   TEXT    NOT NULL,
	creation_date INTEGER NOT NULL,
	PRIMARY KEY (machine_seq, number),
	UNIQUE (machine_seq, revision_id)
);

CREATE TABLE state_machine_aliases (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	machine_seq   INTEGER NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	arn           TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	description   TEXT    NOT NULL,
	creation_date INTEGER NOT NULL,
	update_date   INTEGER NOT NULL
);
CREATE INDEX aliases_by_machine ON state_machine_aliases (machine_seq, seq);

-- An alias's routing configuration, one row per version in its order; the
-- index answers whether an alias routes to a version.
CREATE TABLE alias_routes (
	alias_seq   INTEGER NOT NULL REFERENCES state_machine_aliases (seq) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	version_arn TEXT    NOT NULL,
	weight      INTEGER NOT NULL,
	PRIMARY KEY (alias_seq, position)
);
CREATE INDEX alias_routes_by_version ON alias_routes (version_arn);

ALTER TABLE executions ADD COLUMN version_arn TEXT NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN alias_arn TEXT NOT NULL DEFAULT '';
CREATE INDEX executions_by_version ON executions (version_arn, seq);
CREATE INDEX executions_by_alias ON executions (alias_arn, seq);
