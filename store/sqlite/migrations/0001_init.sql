-- 0001: the initial schema. Times are Unix nanoseconds (0 for none).
-- seq columns are AUTOINCREMENT so that they are never reused: pagination
-- tokens hold them.

CREATE TABLE state_machines (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	arn           TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL UNIQUE,
	type          TEXT    NOT NULL,
	status        TEXT    NOT NULL,
	description   TEXT    NOT NULL,
	revision_id   TEXT    NOT NULL, -- the latest revision
	creation_date INTEGER NOT NULL
);

CREATE TABLE state_machine_revisions (
	machine_seq           INTEGER NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	revision_id           TEXT    NOT NULL,
	definition            TEXT    NOT NULL,
	role_arn              TEXT    NOT NULL,
	logging_configuration TEXT    NOT NULL,
	tracing_configuration TEXT    NOT NULL,
	update_date           INTEGER NOT NULL,
	UNIQUE (machine_seq, revision_id)
);

CREATE TABLE executions (
	seq               INTEGER PRIMARY KEY AUTOINCREMENT,
	arn               TEXT    NOT NULL UNIQUE,
	state_machine_arn TEXT    NOT NULL,
	revision_id       TEXT    NOT NULL,
	name              TEXT    NOT NULL,
	status            TEXT    NOT NULL,
	input             TEXT    NOT NULL,
	output            TEXT    NOT NULL,
	error             TEXT    NOT NULL,
	cause             TEXT    NOT NULL,
	start_date        INTEGER NOT NULL,
	stop_date         INTEGER NOT NULL,
	state             BLOB,
	version           INTEGER NOT NULL,
	parent_arn        TEXT    NOT NULL,
	redrive_count     INTEGER NOT NULL
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, seq);
CREATE INDEX executions_by_machine_status ON executions (state_machine_arn, status, seq);

-- Events are appended in rowid order, so a batch of commits of many
-- executions writes few table pages; the small index finds them.
CREATE TABLE events (
	exec_seq INTEGER NOT NULL,
	id       INTEGER NOT NULL,
	time     INTEGER NOT NULL,
	type     TEXT    NOT NULL,
	body     BLOB    NOT NULL,
	UNIQUE (exec_seq, id)
);

-- ready_at is when the item can next be claimed: due, or the lease expiry
-- while leased. Claims and the scheduler's next-due query use its index.
CREATE TABLE work (
	exec_seq     INTEGER NOT NULL,
	id           TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	payload      BLOB,
	due          INTEGER NOT NULL,
	ready_at     INTEGER NOT NULL,
	owner        TEXT    NOT NULL,
	lease_expiry INTEGER NOT NULL,
	claims       INTEGER NOT NULL,
	UNIQUE (exec_seq, id)
);
CREATE INDEX work_by_ready ON work (ready_at);

CREATE TABLE tasks (
	seq               INTEGER PRIMARY KEY AUTOINCREMENT,
	token             TEXT    NOT NULL UNIQUE,
	exec_seq          INTEGER NOT NULL,
	work_id           TEXT    NOT NULL,
	activity_arn      TEXT    NOT NULL,
	input             TEXT    NOT NULL,
	timeout_seconds   INTEGER NOT NULL,
	heartbeat_seconds INTEGER NOT NULL,
	created           INTEGER NOT NULL,
	claimed           INTEGER NOT NULL,
	worker_name       TEXT    NOT NULL,
	claim_date        INTEGER NOT NULL
);
CREATE INDEX tasks_queue ON tasks (activity_arn, seq) WHERE claimed = 0 AND activity_arn <> '';

CREATE TABLE activities (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT,
	arn           TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL UNIQUE,
	creation_date INTEGER NOT NULL
);

CREATE TABLE tags (
	resource_arn TEXT NOT NULL,
	key          TEXT NOT NULL,
	value        TEXT NOT NULL,
	PRIMARY KEY (resource_arn, key)
) WITHOUT ROWID;
