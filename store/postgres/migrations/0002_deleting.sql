-- 0002: finish deleting the state machines left DELETING with no running
-- execution. Before, a machine stayed DELETING for good once it was marked
-- while an execution ran; now the commit that ends its last execution
-- deletes it (and Open finishes a delete a crash interrupted).

DELETE FROM tags WHERE resource_arn IN (
	SELECT m.arn FROM state_machines m WHERE m.status = 'DELETING'
	AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.state_machine_arn = m.arn AND e.status = 'RUNNING'));
DELETE FROM state_machines WHERE status = 'DELETING'
	AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.state_machine_arn = state_machines.arn AND e.status = 'RUNNING');
