-- 0006: redrive (issue 18.4), as sqlite's 0007: when an execution was last
-- redriven (Unix nanoseconds, 0 if never) and the client token it was
-- redriven with, so that a retried RedriveExecution answers as the first
-- one did.
ALTER TABLE executions ADD COLUMN redrive_date bigint NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN redrive_token text NOT NULL DEFAULT '';
