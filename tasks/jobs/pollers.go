package jobs

import (
	"slices"

	"stepwise/jsonval"
)

// morePollers are the .sync integrations of CodeBuild, EMR, SageMaker and
// Bedrock, by SERVICE:ACTION of the optimized resource; describe and stop
// are actions of the SDK service the start action was sent to. What
// each returns follows AWS's documentation of the integration; see each.
var morePollers = map[string]poller{
	// CodeBuild: the build as BatchGetBuilds describes it, under Build
	// (AWS's samples read $.Build.ReportArns after startBuild.sync).
	"codebuild:startBuild": codebuildPoller("Build", "batchGetBuilds", "Builds", "BuildStatus", "stopBuild"),
	// Batch builds: the batch as BatchGetBuildBatches describes it,
	// under BuildBatch.
	"codebuild:startBuildBatch": codebuildPoller("BuildBatch", "batchGetBuildBatches", "BuildBatches", "BuildBatchStatus", "stopBuildBatch"),
	"codebuild:retryBuildBatch": codebuildPoller("BuildBatch", "batchGetBuildBatches", "BuildBatches", "BuildBatchStatus", "stopBuildBatch"),

	// EMR: createCluster.sync ends when the cluster is up and waiting for
	// steps, with createCluster's own result; a cluster that ends instead
	// fails the task. terminateCluster.sync ends when it has terminated.
	// addStep.sync ends with DescribeStep's answer when the step has
	// completed. Step Functions stops neither clusters nor steps.
	"elasticmapreduce:createCluster": {
		describe: "describeCluster",
		input: func(_, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := get(started, "JobFlowId").(string)
			if id == "" {
				return nil, taskFailed(started)
			}
			return object("ClusterId", id), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			switch clusterState(desc) {
			case "WAITING", "RUNNING":
				return true, false, nil
			case "TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS":
				return true, true, asObject(get(desc, "Cluster"))
			}
			return false, false, nil
		},
	},
	"elasticmapreduce:terminateCluster": {
		describe: "describeCluster",
		input: func(params, _ *jsonval.Object) (*jsonval.Object, error) {
			return object("ClusterId", get(params, "ClusterId")), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			switch clusterState(desc) {
			case "TERMINATED", "TERMINATED_WITH_ERRORS":
				return true, false, nil
			}
			return false, false, nil
		},
	},
	"elasticmapreduce:addStep": {
		describe: "describeStep",
		input: func(params, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := first(started, "StepIds").(string)
			if id == "" {
				return nil, taskFailed(started)
			}
			return object("ClusterId", get(params, "ClusterId"), "StepId", id), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			step := asObject(get(desc, "Step"))
			switch get(asObject(get(step, "Status")), "State") {
			case "COMPLETED":
				return true, false, desc
			case "FAILED", "CANCELLED", "INTERRUPTED":
				return true, true, step
			}
			return false, false, nil
		},
	},

	// SageMaker: the job as its Describe action answers, once its status
	// is Completed; Failed and Stopped fail the task.
	"sagemaker:createTrainingJob":             sagemakerPoller("TrainingJob"),
	"sagemaker:createTransformJob":            sagemakerPoller("TransformJob"),
	"sagemaker:createProcessingJob":           sagemakerPoller("ProcessingJob"),
	"sagemaker:createLabelingJob":             sagemakerPoller("LabelingJob"),
	"sagemaker:createHyperParameterTuningJob": sagemakerPoller("HyperParameterTuningJob"),

	// Bedrock: the job as GetModelCustomizationJob answers, once its
	// Status is Completed; Failed and Stopped fail the task.
	"bedrock:createModelCustomizationJob": {
		describe: "getModelCustomizationJob",
		input: func(_, started *jsonval.Object) (*jsonval.Object, error) {
			arn, _ := get(started, "JobArn").(string)
			if arn == "" {
				return nil, taskFailed(started)
			}
			return object("JobIdentifier", arn), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			switch get(desc, "Status") {
			case "Completed":
				return true, false, desc
			case "Failed", "Stopped":
				return true, true, desc
			}
			return false, false, nil
		},
		stop: "stopModelCustomizationJob",
	},
}

// codebuildPoller polls a CodeBuild build or batch build by the ID in
// the start's answer (start's member member), until its status member is
// no longer IN_PROGRESS; SUCCEEDED is success, FAILED, FAULT, STOPPED and
// TIMED_OUT are failures.
func codebuildPoller(member, describe, list, status, stop string) poller {
	return poller{
		describe: describe,
		input: func(_, started *jsonval.Object) (*jsonval.Object, error) {
			id, _ := get(asObject(get(started, member)), "Id").(string)
			if id == "" {
				return nil, taskFailed(started)
			}
			return object("Ids", []any{id}), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			b := asObject(first(desc, list))
			s := get(b, status)
			if b == nil || s == "IN_PROGRESS" || s == nil {
				return false, false, nil
			}
			return true, s != "SUCCEEDED", object(member, b)
		},
		stop: stop,
		stopInput: func(in *jsonval.Object) *jsonval.Object {
			return object("Id", first(in, "Ids"))
		},
	}
}

// sagemakerPoller polls a SageMaker job of kind (TrainingJob, ...) by
// the name the Task gave it (kind+"Name") with Describe<kind>, until
// its kind+"Status" ends; Stop<kind> stops it.
func sagemakerPoller(kind string) poller {
	return poller{
		describe: "describe" + kind,
		input: func(params, started *jsonval.Object) (*jsonval.Object, error) {
			name, _ := get(params, kind+"Name").(string)
			if name == "" {
				return nil, taskFailed(started)
			}
			return object(kind+"Name", name), nil
		},
		state: func(desc *jsonval.Object) (bool, bool, any) {
			switch s := get(desc, kind+"Status"); {
			case s == "Completed":
				return true, false, desc
			case slices.Contains([]any{"Failed", "Stopped"}, s):
				return true, true, desc
			}
			return false, false, nil
		},
		stop: "stop" + kind,
	}
}

// clusterState is DescribeCluster's Cluster.Status.State.
func clusterState(desc *jsonval.Object) any {
	return get(asObject(get(asObject(get(desc, "Cluster")), "Status")), "State")
}
