// Package jobs carries out the Step Functions integrations that run jobs:
// arn:aws:states:::ecs:runTask (request-response, .sync and
// .waitForTaskToken) and arn:aws:states:::batch:submitJob
// (request-response and .sync), self-hosted or on AWS; and, on AWS or a
// compatible endpoint, Athena's startQueryExecution (with .sync),
// stopQueryExecution, getQueryExecution and getQueryResults, Glue's
// startJobRun (with .sync), and the optimized CodeBuild, EMR
// (elasticmapreduce), SageMaker and Bedrock integrations with the
// patterns AWS offers for each (optimized.go, pollers.go). Those differ
// from their AWS SDK integrations where AWS documents a difference: EMR's
// wrapped API (createCluster is RunJobFlow, addStep takes one Step and a
// ClusterId, modify...ByName finds the fleet or group by name),
// bedrock:invokeModel's JSON Body and Input.S3Uri, and error names after
// the AWS SDK for Java 1.x (CodeBuild.AWSCodeBuildException,
// SageMaker.AmazonSageMakerException, ElasticMapReduce.*). A field
// Stepwise does not carry out (bedrock:invokeModel's Output) fails with
// States.Runtime.
//
// Self-hosted, a job configuration file ([ParseConfig]) maps an ECS task
// definition or a Batch job definition to a local command or to a
// container image run with `docker run --rm`. The Task's parameters are
// RunTask's and SubmitJob's: a container override's Command replaces the
// definition's command and its Environment is added to the job's
// environment (where a .waitForTaskToken workflow puts $$.Task.Token);
// Batch's Parameters fill Ref::NAME arguments, Timeout and
// RetryStrategy.Attempts bound and repeat the run. Fields that only place
// the job on AWS (Cluster, LaunchType, NetworkConfiguration, capacity,
// sizing, tags) are accepted; fields a local job cannot carry out (task
// roles, environment files, array and multi-node jobs, dependencies)
// fail the task with States.Runtime when set, never run as if absent.
//
// Results have AWS's shapes. Request-response answers as RunTask and
// SubmitJob do (the task PENDING, the job's ID), while the job runs on in
// the background, owned by the [Invoker] until [Invoker.Close]. .sync
// waits for the job and returns its description as DescribeTasks and
// DescribeJobs give it (LastStatus STOPPED, StopCode, Containers'
// ExitCode; Status SUCCEEDED, Container.ExitCode, StatusReason); a job
// that exits non-zero, times out or cannot start fails with
// States.TaskFailed and that description, as JSON, as its cause.
// .waitForTaskToken answers as request-response does, and the task then
// waits for SendTaskSuccess or SendTaskFailure: the process ending is not
// the task's end.
//
// A definition the file does not name goes to AWS (or a compatible
// endpoint) when [Config.Remote] reaches its service: the AWS SDK
// integration of the same action (aws-sdk:ecs:runTask, ...), and, for
// .sync, its describe action (describeTasks, describeJobs,
// getQueryExecution, getJobRun, batchGetBuilds, describeStep,
// describeTrainingJob, getModelCustomizationJob, ...) every
// [Config.PollInterval] until the job ends. A cancelled .sync task of
// CodeBuild, SageMaker or Bedrock asks the service to stop its job, as
// AWS does. Otherwise the task fails with a cause that says how to
// configure it or mock it.
//
// Each line a local job writes to stdout or stderr goes to
// [Config.Logger], as ECS and Batch send a container's output to
// CloudWatch Logs.
package jobs
