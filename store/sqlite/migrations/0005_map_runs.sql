-- 0005: Map Runs (store.MapRun), written by the commit of the step that
-- changed them. Counts are JSON texts (store.EncodeCounts); times are Unix
-- nanoseconds (0 for none).
CREATE TABLE IF NOT EXISTS map_runs (
	arn                          TEXT    PRIMARY KEY,
	exec_seq                     INTEGER NOT NULL REFERENCES executions (seq) ON DELETE CASCADE,
	state_machine_arn            TEXT    NOT NULL,
	status                       TEXT    NOT NULL,
	start_date                   INTEGER NOT NULL,
	stop_date                    INTEGER NOT NULL,
	max_concurrency              INTEGER NOT NULL,
	tolerated_failure_percentage REAL    NOT NULL,
	tolerated_failure_count      INTEGER NOT NULL,
	item_counts                  TEXT    NOT NULL,
	execution_counts             TEXT    NOT NULL,
	redrive_count                INTEGER NOT NULL,
	redrive_date                 INTEGER NOT NULL
);
-- ListMapRuns: an execution's runs, latest start first, then by ARN.
CREATE INDEX IF NOT EXISTS map_runs_by_execution ON map_runs (exec_seq, start_date DESC, arn);
