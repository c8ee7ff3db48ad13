-- 0001: the initial schema.
--
-- Times are Unix nanoseconds in bigint (0 for none): timestamptz keeps only
-- microseconds, and the store keeps nanoseconds. JSON texts are text, or
-- bytea where the store takes bytes, never jsonb: they come back byte for
-- byte, with their key order and number spelling.
--
-- seq columns come from identity sequences, which never hand out a value
-- twice: pagination tokens hold them, and claims use them to serve the
-- oldest of equally ready items first. Identifier columns that are sorted
-- in listings use the "C" collation, so they sort by bytes as in Go.

CREATE TABLE state_machines (
	seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	arn           text   NOT NULL UNIQUE,
	name          text   NOT NULL UNIQUE,
	type          text   NOT NULL,
	status        text   NOT NULL,
	description   text   NOT NULL,
	revision_id   text   NOT NULL, -- the latest revision
	creation_date bigint NOT NULL
);

CREATE TABLE state_machine_revisions (
	machine_seq           bigint NOT NULL REFERENCES state_machines (seq) ON DELETE CASCADE,
	revision_id           text   NOT NULL,
	definition            text   NOT NULL,
	role_arn              text   NOT NULL,
	logging_configuration text   NOT NULL,
	tracing_configuration text   NOT NULL,
	update_date           bigint NOT NULL,
	PRIMARY KEY (machine_seq, revision_id)
);

CREATE TABLE executions (
	seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	arn               text   NOT NULL UNIQUE,
	state_machine_arn text   NOT NULL,
	revision_id       text   NOT NULL,
	name              text   NOT NULL,
	status            text   NOT NULL,
	input             text   NOT NULL,
	output            text   NOT NULL,
	error             text   NOT NULL,
	cause             text   NOT NULL,
	start_date        bigint NOT NULL,
	stop_date         bigint NOT NULL,
	state             bytea,
	version           bigint NOT NULL,
	parent_arn        text   NOT NULL,
	redrive_count     bigint NOT NULL,
	test_case         text   NOT NULL
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, seq);
CREATE INDEX executions_by_machine_status ON executions (state_machine_arn, status, seq);

-- Events, work items and tasks refer to their execution by seq without a
-- foreign key: executions are never deleted, and the key's check would
-- cost every insert a lookup and a lock.
CREATE TABLE events (
	exec_seq bigint NOT NULL,
	id       bigint NOT NULL,
	time     bigint NOT NULL,
	type     text   NOT NULL,
	body     bytea  NOT NULL,
	PRIMARY KEY (exec_seq, id)
);

-- ready_at is when the item can next be claimed: due, or the lease expiry
-- while leased. Claims and the scheduler's next-work query use its index.
CREATE TABLE work (
	exec_seq     bigint NOT NULL,
	id           text   COLLATE "C" NOT NULL,
	seq          bigint GENERATED ALWAYS AS IDENTITY,
	kind         text   NOT NULL,
	payload      bytea,
	due          bigint NOT NULL,
	ready_at     bigint NOT NULL,
	owner        text   NOT NULL,
	lease_expiry bigint NOT NULL,
	claims       bigint NOT NULL,
	PRIMARY KEY (exec_seq, id)
);
CREATE INDEX work_by_ready ON work (ready_at, seq);

CREATE TABLE tasks (
	seq               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token             text    NOT NULL UNIQUE,
	exec_seq          bigint  NOT NULL,
	work_id           text    NOT NULL,
	activity_arn      text    NOT NULL,
	input             text    NOT NULL,
	timeout_seconds   bigint  NOT NULL,
	heartbeat_seconds bigint  NOT NULL,
	created           bigint  NOT NULL,
	claimed           boolean NOT NULL,
	worker_name       text    NOT NULL,
	claim_date        bigint  NOT NULL
);
CREATE INDEX tasks_queue ON tasks (activity_arn, seq) WHERE NOT claimed AND activity_arn <> '';

CREATE TABLE activities (
	seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	arn           text   NOT NULL UNIQUE,
	name          text   NOT NULL UNIQUE,
	creation_date bigint NOT NULL
);

CREATE TABLE tags (
	resource_arn text NOT NULL,
	key          text COLLATE "C" NOT NULL,
	value        text NOT NULL,
	PRIMARY KEY (resource_arn, key)
);
