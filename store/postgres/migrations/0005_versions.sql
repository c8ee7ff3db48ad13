-- 0005: state machine versions and aliases (issue 18), the encryption
-- configuration of each revision, and the version and alias an execution
-- was started on. Versions and aliases belong to their machine's row and
-- go with it (ON DELETE CASCADE); last_version is the highest version
-- number the machine gave, so that a deleted number is never given again.
ALTER TABLE state_machines ADD COLUMN IF NOT EXISTS last_version bigint NOT NULL DEFAULT 0;
ALTER TABLE state_machine_revisions ADD COLUMN IF NOT EXISTS encryption_configuration text NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS state_machine_versions (
	machine_seq   bigint NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	number        bigint NOT NULL,
	arn           text   NOT NULL UNIQUE,
	revision_id   text   NOT NULL,
	description   text   NOT NULL,
	creation_date bigint NOT NULL,
	PRIMARY KEY (machine_seq, number),
	UNIQUE (machine_seq, revision_id)
);

CREATE TABLE IF NOT EXISTS state_machine_aliases (
	seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	machine_seq   bigint NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	arn           text   NOT NULL UNIQUE,
	name          text   NOT NULL,
	description   text   NOT NULL,
	creation_date bigint NOT NULL,
	update_date   bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS aliases_by_machine ON state_machine_aliases (machine_seq, seq);

-- An alias's routing configuration, one row per version in its order.
CREATE TABLE IF NOT EXISTS alias_routes (
	alias_seq   bigint NOT NULL REFERENCES state_machine_aliases (seq) ON DELETE CASCADE,
	position    int    NOT NULL,
	version_arn text   NOT NULL,
	weight      int    NOT NULL,
	PRIMARY KEY (alias_seq, position)
);
CREATE INDEX IF NOT EXISTS alias_routes_by_version ON alias_routes (version_arn);

ALTER TABLE executions ADD COLUMN IF NOT EXISTS version_arn text NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN IF NOT EXISTS alias_arn text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS executions_by_version ON executions (version_arn, seq);
CREATE INDEX IF NOT EXISTS executions_by_alias ON executions (alias_arn, seq);
