-- 0007: redrive (issue 18.4): when an execution was last redriven (Unix
-- nanoseconds, 0 if never) and the client token it was redriven with, so
-- that a retried RedriveExecution answers as the first one did.
ALTER TABLE executions ADD COLUMN redrive_date INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN redrive_token TEXT NOT NULL DEFAULT '';
