-- 0002: an execution may run a mock configuration test case
-- (StartExecution of "STATE_MACHINE_ARN#TEST_CASE").
ALTER TABLE executions ADD COLUMN test_case TEXT NOT NULL DEFAULT '';
