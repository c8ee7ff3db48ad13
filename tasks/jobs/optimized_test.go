package jobs_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"stepwise/jsonval"
	"stepwise/tasks"
	"stepwise/tasks/jobs"
)

// TestOptimizedMapping covers how each optimized integration that differs
// from its AWS SDK integration maps the Task's parameters to the SDK
// action's and the answer back, as AWS documents the differences
// ("Create and manage Amazon EMR clusters with Step Functions", "Invoke
// and customize Amazon Bedrock models with Step Functions"), and how
// errors are renamed.
func TestOptimizedMapping(t *testing.T) {
	tests := []struct {
		name, resource, params string
		answers                map[string]string // by SDK action
		fail                   error             // what every call fails with
		wantCalls              []string
		wantOut                string
		wantErr                string // error name; the output is not checked
	}{
		{name: "emr createCluster", resource: "arn:aws:states:::elasticmapreduce:createCluster",
			params:    `{"Name":"c","ReleaseLabel":"emr-7.0.0","Instances":{"KeepJobFlowAliveWhenNoSteps":true,"InstanceCount":1}}`,
			answers:   map[string]string{"runJobFlow": `{"JobFlowId":"j-1","ClusterArn":"arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1"}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:runJobFlow {"Name":"c","ReleaseLabel":"emr-7.0.0","Instances":{"KeepJobFlowAliveWhenNoSteps":true,"InstanceCount":1}}`},
			wantOut:   `{"ClusterId":"j-1","ClusterArn":"arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-1"}`},
		{name: "emr createCluster with Steps", resource: "arn:aws:states:::elasticmapreduce:createCluster",
			params: `{"Name":"c","Instances":{"KeepJobFlowAliveWhenNoSteps":true},"Steps":[]}`, wantErr: "States.Runtime"},
		{name: "emr createCluster that would end", resource: "arn:aws:states:::elasticmapreduce:createCluster",
			params: `{"Name":"c","Instances":{"KeepJobFlowAliveWhenNoSteps":false}}`, wantErr: "States.Runtime"},
		{name: "emr addStep", resource: "arn:aws:states:::elasticmapreduce:addStep",
			params:    `{"ClusterId":"j-1","Step":{"Name":"s","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["true"]}}}`,
			answers:   map[string]string{"addJobFlowSteps": `{"StepIds":["s-1"]}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:addJobFlowSteps {"JobFlowId":"j-1","Steps":[{"Name":"s","ActionOnFailure":"CONTINUE","HadoopJarStep":{"Jar":"command-runner.jar","Args":["true"]}}]}`},
			wantOut:   `{"StepId":"s-1"}`},
		{name: "emr addStep unknown field", resource: "arn:aws:states:::elasticmapreduce:addStep",
			params: `{"ClusterId":"j-1","Steps":[]}`, wantErr: "States.Runtime"},
		{name: "emr terminateCluster", resource: "arn:aws:states:::elasticmapreduce:terminateCluster", params: `{"ClusterId":"j-1"}`,
			answers: map[string]string{"terminateJobFlows": `{}`}, wantCalls: []string{`arn:aws:states:::aws-sdk:emr:terminateJobFlows {"JobFlowIds":["j-1"]}`}, wantOut: `{}`},
		{name: "emr setClusterTerminationProtection", resource: "arn:aws:states:::elasticmapreduce:setClusterTerminationProtection",
			params: `{"ClusterId":"j-1","TerminationProtected":true}`, answers: map[string]string{"setTerminationProtection": `{}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:setTerminationProtection {"JobFlowIds":["j-1"],"TerminationProtected":true}`}, wantOut: `{}`},
		{name: "emr cancelStep", resource: "arn:aws:states:::elasticmapreduce:cancelStep", params: `{"ClusterId":"j-1","StepId":"s-1"}`,
			answers:   map[string]string{"cancelSteps": `{"CancelStepsInfoList":[{"StepId":"s-1","Status":"SUBMITTED"}]}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:cancelSteps {"ClusterId":"j-1","StepIds":["s-1"]}`},
			wantOut:   `{"CancelStepsInfoList":[{"StepId":"s-1","Status":"SUBMITTED"}]}`},
		{name: "emr modifyInstanceGroupByName", resource: "arn:aws:states:::elasticmapreduce:modifyInstanceGroupByName",
			params: `{"ClusterId":"j-1","InstanceGroupName":"core","InstanceGroup":{"InstanceCount":3}}`,
			answers: map[string]string{"listInstanceGroups": `{"InstanceGroups":[{"Id":"ig-0","Name":"master"},{"Id":"ig-1","Name":"core"}]}`,
				"modifyInstanceGroups": `{}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:listInstanceGroups {"ClusterId":"j-1"}`,
				`arn:aws:states:::aws-sdk:emr:modifyInstanceGroups {"ClusterId":"j-1","InstanceGroups":[{"InstanceGroupId":"ig-1","InstanceCount":3}]}`},
			wantOut: `{}`},
		{name: "emr modifyInstanceFleetByName", resource: "arn:aws:states:::elasticmapreduce:modifyInstanceFleetByName",
			params: `{"ClusterId":"j-1","InstanceFleetName":"task","InstanceFleet":{"TargetSpotCapacity":4}}`,
			answers: map[string]string{"listInstanceFleets": `{"InstanceFleets":[{"Id":"if-1","Name":"task"}]}`,
				"modifyInstanceFleet": `{}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:emr:listInstanceFleets {"ClusterId":"j-1"}`,
				`arn:aws:states:::aws-sdk:emr:modifyInstanceFleet {"ClusterId":"j-1","InstanceFleet":{"InstanceFleetId":"if-1","TargetSpotCapacity":4}}`},
			wantOut: `{}`},
		{name: "emr modify a group that is not there", resource: "arn:aws:states:::elasticmapreduce:modifyInstanceGroupByName",
			params:  `{"ClusterId":"j-1","InstanceGroupName":"gpu","InstanceGroup":{"InstanceCount":3}}`,
			answers: map[string]string{"listInstanceGroups": `{"InstanceGroups":[{"Id":"ig-1","Name":"core"}]}`}, wantErr: "States.TaskFailed"},
		{name: "bedrock invokeModel", resource: "arn:aws:states:::bedrock:invokeModel",
			params:    `{"ModelId":"m1","ContentType":"application/json","Body":{"prompt":"Hello"}}`,
			answers:   map[string]string{"invokeModel": `{"Body":"{\"completion\":\"Hi\"}","ContentType":"application/json"}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:bedrockruntime:invokeModel {"ModelId":"m1","ContentType":"application/json","Body":{"prompt":"Hello"}}`},
			wantOut:   `{"Body":{"completion":"Hi"},"ContentType":"application/json"}`},
		{name: "bedrock invokeModel from S3", resource: "arn:aws:states:::bedrock:invokeModel",
			params: `{"ModelId":"m1","Input":{"S3Uri":"s3://prompts/a/p.json"}}`,
			answers: map[string]string{"getObject": `{"Body":"{\"prompt\":\"Hello\"}","ContentType":"application/json"}`,
				"invokeModel": `{"Body":"plain text","ContentType":"text/plain"}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:s3:getObject {"Bucket":"prompts","Key":"a/p.json"}`,
				`arn:aws:states:::aws-sdk:bedrockruntime:invokeModel {"ModelId":"m1","Body":"{\"prompt\":\"Hello\"}","ContentType":"application/json"}`},
			wantOut: `{"Body":"plain text","ContentType":"text/plain"}`},
		{name: "bedrock invokeModel Body and Input", resource: "arn:aws:states:::bedrock:invokeModel",
			params: `{"ModelId":"m1","Body":{},"Input":{"S3Uri":"s3://b/k"}}`, wantErr: "States.Runtime"},
		{name: "bedrock invokeModel Output", resource: "arn:aws:states:::bedrock:invokeModel",
			params: `{"ModelId":"m1","Body":{},"Output":{"S3Uri":"s3://b/out"}}`, wantErr: "States.Runtime"},
		{name: "bedrock invokeModel .sync is not offered", resource: "arn:aws:states:::bedrock:invokeModel.sync", params: `{"ModelId":"m1"}`, wantErr: "States.Runtime"},
		{name: "codebuild stopBuild .sync is not offered", resource: "arn:aws:states:::codebuild:stopBuild.sync", params: `{"Id":"p:1"}`, wantErr: "States.Runtime"},
		{name: "codebuild startBuild", resource: "arn:aws:states:::codebuild:startBuild", params: `{"ProjectName":"p"}`,
			answers:   map[string]string{"startBuild": `{"Build":{"Id":"p:1","BuildStatus":"IN_PROGRESS"}}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:codebuild:startBuild {"ProjectName":"p"}`}, wantOut: `{"Build":{"Id":"p:1","BuildStatus":"IN_PROGRESS"}}`},
		{name: "sagemaker createModel", resource: "arn:aws:states:::sagemaker:createModel", params: `{"ModelName":"m"}`,
			answers:   map[string]string{"createModel": `{"ModelArn":"arn:m"}`},
			wantCalls: []string{`arn:aws:states:::aws-sdk:sagemaker:createModel {"ModelName":"m"}`}, wantOut: `{"ModelArn":"arn:m"}`},

		// Errors as the optimized integrations name them.
		{name: "emr error", resource: "arn:aws:states:::elasticmapreduce:addStep", params: `{"ClusterId":"j-1","Step":{}}`,
			fail: &tasks.Error{Name: "Emr.InvalidRequestException", Cause: "c"}, wantErr: "ElasticMapReduce.InvalidRequestException"},
		{name: "emr base exception", resource: "arn:aws:states:::elasticmapreduce:terminateCluster", params: `{"ClusterId":"j-1"}`,
			fail: &tasks.Error{Name: "Emr.EmrException", Cause: "c"}, wantErr: "ElasticMapReduce.AmazonElasticMapReduceException"},
		{name: "codebuild base exception", resource: "arn:aws:states:::codebuild:startBuild", params: `{"ProjectName":"p"}`,
			fail: &tasks.Error{Name: "CodeBuild.CodeBuildException", Cause: "c"}, wantErr: "CodeBuild.AWSCodeBuildException"},
		{name: "codebuild modelled error", resource: "arn:aws:states:::codebuild:startBuild", params: `{"ProjectName":"p"}`,
			fail: &tasks.Error{Name: "CodeBuild.ResourceNotFoundException", Cause: "c"}, wantErr: "CodeBuild.ResourceNotFoundException"},
		{name: "sagemaker base exception", resource: "arn:aws:states:::sagemaker:createTrainingJob", params: `{"TrainingJobName":"j"}`,
			fail: &tasks.Error{Name: "SageMaker.SageMakerException", Cause: "c"}, wantErr: "SageMaker.AmazonSageMakerException"},
		{name: "bedrock runtime error", resource: "arn:aws:states:::bedrock:invokeModel", params: `{"ModelId":"m1","Body":{}}`,
			fail: &tasks.Error{Name: "BedrockRuntime.ValidationException", Cause: "c"}, wantErr: "Bedrock.ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rm := &remote{answer: func(action string, _ int, _ *jsonval.Object) (string, error) {
				if tt.fail != nil {
					return "", tt.fail
				}
				a, ok := tt.answers[action]
				if !ok {
					t.Errorf("unexpected call of %s", action)
					return "", &tasks.Error{Name: "Unexpected"}
				}
				return a, nil
			}}
			iv := newInvoker(t, t.TempDir(), "exit 0", func(c *jobs.Config) {
				c.Remote, c.RemoteServices, c.PollInterval = rm, jobs.Services(), time.Millisecond
			})
			out, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: obj(t, tt.params)})
			if tt.wantErr != "" {
				if te := taskError(t, err); te.Name != tt.wantErr {
					t.Errorf("error %s (%s), want %s", te.Name, te.Cause, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := jsonval.MustMarshalString(out); got != tt.wantOut {
				t.Errorf("result %s, want %s", got, tt.wantOut)
			}
			if tt.wantCalls != nil && strings.Join(rm.calls, "\n") != strings.Join(tt.wantCalls, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(rm.calls, "\n"), strings.Join(tt.wantCalls, "\n"))
			}
		})
	}
}

// TestServicesNameSDKClients: RemoteServices takes the SDK services the
// integrations call, not the optimized resources' service names.
func TestServicesNameSDKClients(t *testing.T) {
	got := strings.Join(jobs.Services(), ",")
	for _, want := range []string{"emr", "bedrock", "bedrockruntime", "codebuild", "sagemaker", "s3"} {
		if !strings.Contains(","+got+",", ","+want+",") {
			t.Errorf("Services() = %s, want %s among them", got, want)
		}
	}
	if strings.Contains(got, "elasticmapreduce") {
		t.Errorf("Services() = %s names elasticmapreduce, which no client is called", got)
	}
	// elasticmapreduce:* without an emr endpoint says how to give one.
	iv := newInvoker(t, t.TempDir(), "exit 0", nil)
	_, err := iv.Invoke(t.Context(), tasks.Request{Resource: "arn:aws:states:::elasticmapreduce:addStep", Input: obj(t, `{"ClusterId":"j","Step":{}}`)})
	var te *tasks.Error
	if !errors.As(err, &te) || te.Name != "States.TaskFailed" || !strings.Contains(te.Cause, "--aws-endpoint emr=URL") {
		t.Errorf("got %v, want a cause naming --aws-endpoint emr=URL", err)
	}
}

// TestCodeBuildBatchSync: startBuildBatch.sync and retryBuildBatch.sync
// poll BatchGetBuildBatches by the batch's ID until BuildBatchStatus is
// not IN_PROGRESS, and return the batch under BuildBatch; a STOPPED
// batch fails the task.
func TestCodeBuildBatchSync(t *testing.T) {
	for _, tt := range []struct{ resource, final, wantErr string }{
		{"arn:aws:states:::codebuild:startBuildBatch.sync", "SUCCEEDED", ""},
		{"arn:aws:states:::codebuild:retryBuildBatch.sync", "STOPPED", "States.TaskFailed"},
	} {
		t.Run(tt.resource, func(t *testing.T) {
			rm := &remote{answer: func(action string, n int, _ *jsonval.Object) (string, error) {
				switch {
				case action == "startBuildBatch" || action == "retryBuildBatch":
					return `{"BuildBatch":{"Id":"p:bb1","BuildBatchStatus":"IN_PROGRESS"}}`, nil
				case n < 3:
					return `{"BuildBatches":[{"Id":"p:bb1","BuildBatchStatus":"IN_PROGRESS"}]}`, nil
				}
				return `{"BuildBatches":[{"Id":"p:bb1","BuildBatchStatus":"` + tt.final + `"}]}`, nil
			}}
			iv := newInvoker(t, t.TempDir(), "exit 0", func(c *jobs.Config) {
				c.Remote, c.RemoteServices, c.PollInterval = rm, jobs.Services(), time.Millisecond
			})
			out, err := iv.Invoke(t.Context(), tasks.Request{Resource: tt.resource, Input: obj(t, `{"ProjectName":"p"}`)})
			want := `{"BuildBatch":{"Id":"p:bb1","BuildBatchStatus":"` + tt.final + `"}}`
			if tt.wantErr != "" {
				if te := taskError(t, err); te.Name != tt.wantErr || te.Cause != want {
					t.Errorf("got %s %s, want %s %s", te.Name, te.Cause, tt.wantErr, want)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if got := jsonval.MustMarshalString(out); got != want {
				t.Errorf("result %s, want %s", got, want)
			}
			if len(rm.calls) < 2 || !strings.HasSuffix(rm.calls[1], `:batchGetBuildBatches {"Ids":["p:bb1"]}`) {
				t.Errorf("calls %v", rm.calls)
			}
		})
	}
}
