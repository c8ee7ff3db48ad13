-- 0004: Map Runs (store.MapRun), written by the commit of the step that
-- changed them. Counts are JSON texts (store.EncodeCounts); times are Unix
-- nanoseconds (0 for none). ARNs order by bytes (COLLATE "C"), as on the
-- other backends.
CREATE TABLE IF NOT EXISTS map_runs (
	arn                          text             COLLATE "C" PRIMARY KEY,
	exec_seq                     bigint           NOT NULL REFERENCES executions (seq) ON DELETE CASCADE,
	state_machine_arn            text             NOT NULL,
	status                       text             NOT NULL,
	start_date                   bigint           NOT NULL,
	stop_date                    bigint           NOT NULL,
	max_concurrency              bigint           NOT NULL,
	tolerated_failure_percentage double precision NOT NULL,
	tolerated_failure_count      bigint           NOT NULL,
	item_counts                  text             NOT NULL,
	execution_counts             text             NOT NULL,
	redrive_count                bigint           NOT NULL,
	redrive_date                 bigint           NOT NULL
);
-- ListMapRuns: an execution's runs, latest start first, then by ARN.
CREATE INDEX IF NOT EXISTS map_runs_by_execution ON map_runs (exec_seq, start_date DESC, arn);
