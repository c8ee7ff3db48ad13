package api

// actionTable maps each action name of the X-Amz-Target header to its
// implementation. List actions go through [paged], which binds their
// nextTokens to the query.
func (h *Handler) actionTable() map[string]action {
	return map[string]action{
		"CreateStateMachine":               handle(h.createStateMachine),
		"DescribeStateMachine":             handle(h.describeStateMachine),
		"UpdateStateMachine":               handle(h.updateStateMachine),
		"DeleteStateMachine":               handle(h.deleteStateMachine),
		"ListStateMachines":                paged(h, "ListStateMachines", h.listStateMachines),
		"ValidateStateMachineDefinition":   handle(h.validateStateMachineDefinition),
		"StartExecution":                   handle(h.startExecution),
		"StartSyncExecution":               handle(h.startSyncExecution),
		"StopExecution":                    handle(h.stopExecution),
		"DescribeExecution":                handle(h.describeExecution),
		"RedriveExecution":                 handle(h.redriveExecution),
		"ListExecutions":                   paged(h, "ListExecutions", h.listExecutions),
		"GetExecutionHistory":              paged(h, "GetExecutionHistory", h.getExecutionHistory),
		"DescribeStateMachineForExecution": handle(h.describeStateMachineForExecution),
		"CreateActivity":                   handle(h.createActivity),
		"DescribeActivity":                 handle(h.describeActivity),
		"DeleteActivity":                   handle(h.deleteActivity),
		"ListActivities":                   paged(h, "ListActivities", h.listActivities),
		"GetActivityTask":                  handle(h.getActivityTask),
		"SendTaskSuccess":                  handle(h.sendTaskSuccess),
		"SendTaskFailure":                  handle(h.sendTaskFailure),
		"SendTaskHeartbeat":                handle(h.sendTaskHeartbeat),
		"TagResource":                      handle(h.tagResource),
		"UntagResource":                    handle(h.untagResource),
		"ListTagsForResource":              handle(h.listTagsForResource),
		"TestState":                        handle(h.testState),
		"DescribeMapRun":                   handle(h.describeMapRun),
		"ListMapRuns":                      paged(h, "ListMapRuns", h.listMapRuns),
		"UpdateMapRun":                     handle(h.updateMapRun),
	}
}
