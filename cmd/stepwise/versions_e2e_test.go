package main

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"stepwise/store/postgres/pgtest"
)

// noHostPrefix turns off the SDK's endpoint host prefix (the "sync-" of
// StartSyncExecution), as the README shows for local endpoints.
func noHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("StepwiseNoHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// versionDef is a definition that says which version it is and what
// $$.StateMachine.Id its execution sees.
func versionDef(v string) string {
	return `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v":"` + v + `","id.$":"$$.StateMachine.Id"},"End":true}}}`
}

// wantAPIError checks that err is the SDK's error type T.
func wantAPIError[T error](t *testing.T, what string, err error) {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Errorf("%s: got %v, want %T", what, err, target)
	}
}

func must1[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// waitExecution describes an execution until it has ended.
func waitExecution(t *testing.T, c *sfn.Client, arn *string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d, err := c.DescribeExecution(t.Context(), &sfn.DescribeExecutionInput{ExecutionArn: arn})
		if err != nil {
			t.Fatalf("describe %s: %v", *arn, err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still running", *arn)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestVersionsAndAliases drives every version and alias action through
// the AWS SDK for Go v2 against a real server, on SQLite and on
// PostgreSQL: publishing (on create, on update, and idempotently), a
// weighted alias whose executions reach both versions, executions listed
// by version and alias, the refusals AWS documents, and what
// DeleteStateMachine takes with it (issue 18).
func TestVersionsAndAliases(t *testing.T) { onBothStores(t, testVersionsAndAliases) }

// onBothStores runs test against a server with credentials on SQLite and
// on PostgreSQL.
func onBothStores(t *testing.T, test func(t *testing.T, o serverOptions)) {
	base := serverOptions{listen: "127.0.0.1:0", region: "us-east-1", account: "123456789012",
		credentials: "AKIDTEST:sekrit", logFormat: "text", logLevel: "warn"}
	t.Run("SQLite", func(t *testing.T) {
		o := base
		o.store, o.dataDir = "sqlite", t.TempDir()
		test(t, o)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		o := base
		o.store, o.databaseURL = "postgres", pgtest.Schema(t)
		test(t, o)
	})
}

func testVersionsAndAliases(t *testing.T, o serverOptions) {
	url, _, _ := startServe(t, o)
	c := sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "sekrit", ""),
		APIOptions:  []func(*middleware.Stack) error{noHostPrefix}})
	ctx := t.Context()
	role := aws.String("arn:aws:iam::123456789012:role/r")
	machineARN := "arn:aws:states:us-east-1:123456789012:stateMachine:deploy"
	v1ARN, v2ARN := machineARN+":1", machineARN+":2"

	// Create with publish: version 1, with its description.
	created := must1[*sfn.CreateStateMachineOutput](t, "create")(c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("deploy"), RoleArn: role, Definition: aws.String(versionDef("v1")), Publish: true,
		VersionDescription: aws.String("first"), EncryptionConfiguration: &types.EncryptionConfiguration{Type: types.EncryptionTypeAwsOwnedKey}}))
	if aws.ToString(created.StateMachineVersionArn) != v1ARN {
		t.Fatalf("create published %q, want %s", aws.ToString(created.StateMachineVersionArn), v1ARN)
	}
	latest := must1[*sfn.DescribeStateMachineOutput](t, "describe")(c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: &machineARN}))
	if latest.EncryptionConfiguration == nil || latest.EncryptionConfiguration.Type != types.EncryptionTypeAwsOwnedKey {
		t.Errorf("encryptionConfiguration %+v, want AWS_OWNED_KEY", latest.EncryptionConfiguration)
	}
	ver := must1[*sfn.DescribeStateMachineOutput](t, "describe v1")(c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: &v1ARN}))
	if aws.ToString(ver.StateMachineArn) != v1ARN || aws.ToString(ver.Description) != "first" ||
		aws.ToString(ver.RevisionId) != aws.ToString(latest.RevisionId) || aws.ToString(ver.Definition) != versionDef("v1") {
		t.Errorf("version 1 described as %s %q revision %s, want %s \"first\" revision %s", aws.ToString(ver.StateMachineArn),
			aws.ToString(ver.Description), aws.ToString(ver.RevisionId), v1ARN, aws.ToString(latest.RevisionId))
	}
	// Publishing the unchanged revision returns version 1.
	again := must1[*sfn.PublishStateMachineVersionOutput](t, "publish again")(c.PublishStateMachineVersion(ctx,
		&sfn.PublishStateMachineVersionInput{StateMachineArn: &machineARN, RevisionId: latest.RevisionId}))
	if aws.ToString(again.StateMachineVersionArn) != v1ARN {
		t.Errorf("publishing an unchanged revision gave %s, want %s", aws.ToString(again.StateMachineVersionArn), v1ARN)
	}

	// Update with publish: version 2 of the new revision.
	updated := must1[*sfn.UpdateStateMachineOutput](t, "update")(c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{
		StateMachineArn: &machineARN, Definition: aws.String(versionDef("v2")), Publish: true, VersionDescription: aws.String("second")}))
	if aws.ToString(updated.StateMachineVersionArn) != v2ARN || aws.ToString(updated.RevisionId) == "" ||
		aws.ToString(updated.RevisionId) == aws.ToString(latest.RevisionId) {
		t.Errorf("update published %q revision %q", aws.ToString(updated.StateMachineVersionArn), aws.ToString(updated.RevisionId))
	}
	_, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: &machineARN, RevisionId: latest.RevisionId})
	wantAPIError[*types.ConflictException](t, "publish with an old revisionId", err)
	_, err = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: &machineARN, Definition: aws.String(versionDef("x")),
		VersionDescription: aws.String("no publish")})
	wantAPIError[*types.ValidationException](t, "versionDescription without publish", err)
	_, err = c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: &machineARN,
		EncryptionConfiguration: &types.EncryptionConfiguration{Type: types.EncryptionTypeCustomerManagedKmsKey, KmsKeyId: aws.String("alias/mine")}})
	wantAPIError[*types.InvalidEncryptionConfiguration](t, "a customer managed KMS key", err)

	// Versions, newest first, one a page.
	var versions []string
	for in := (&sfn.ListStateMachineVersionsInput{StateMachineArn: &machineARN, MaxResults: 1}); ; {
		page := must1[*sfn.ListStateMachineVersionsOutput](t, "list versions")(c.ListStateMachineVersions(ctx, in))
		for _, v := range page.StateMachineVersions {
			versions = append(versions, aws.ToString(v.StateMachineVersionArn))
		}
		if page.NextToken == nil || len(versions) > 5 {
			break
		}
		in.NextToken = page.NextToken
	}
	if len(versions) != 2 || versions[0] != v2ARN || versions[1] != v1ARN {
		t.Errorf("versions %v, want [%s %s]", versions, v2ARN, v1ARN)
	}

	// A 50/50 alias.
	routing := []types.RoutingConfigurationListItem{{StateMachineVersionArn: &v1ARN, Weight: 50}, {StateMachineVersionArn: &v2ARN, Weight: 50}}
	alias := must1[*sfn.CreateStateMachineAliasOutput](t, "create alias")(c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("PROD"), Description: aws.String("canary"), RoutingConfiguration: routing}))
	aliasARN := machineARN + ":PROD"
	if aws.ToString(alias.StateMachineAliasArn) != aliasARN {
		t.Fatalf("alias ARN %s, want %s", aws.ToString(alias.StateMachineAliasArn), aliasARN)
	}
	same := must1[*sfn.CreateStateMachineAliasOutput](t, "create alias again")(c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("PROD"), Description: aws.String("canary"), RoutingConfiguration: []types.RoutingConfigurationListItem{routing[1], routing[0]}}))
	if !aws.ToTime(same.CreationDate).Equal(aws.ToTime(alias.CreationDate)) {
		t.Errorf("the idempotent create made a new alias")
	}
	for _, bad := range []struct {
		name    string
		in      sfn.CreateStateMachineAliasInput
		checkFn func(error)
	}{
		{"a different config", sfn.CreateStateMachineAliasInput{Name: aws.String("PROD"),
			RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: &v1ARN, Weight: 100}}},
			func(err error) { wantAPIError[*types.ConflictException](t, "a different config", err) }},
		{"weights not 100", sfn.CreateStateMachineAliasInput{Name: aws.String("X"), RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: &v1ARN, Weight: 60}}},
			func(err error) { wantAPIError[*types.ValidationException](t, "weights not 100", err) }},
		{"a number as name", sfn.CreateStateMachineAliasInput{Name: aws.String("7"), RoutingConfiguration: routing},
			func(err error) { wantAPIError[*types.ValidationException](t, "a number as name", err) }},
		{"three versions", sfn.CreateStateMachineAliasInput{Name: aws.String("X"), RoutingConfiguration: append(routing, routing[0])},
			func(err error) { wantAPIError[*types.ValidationException](t, "three versions", err) }},
		{"a missing version", sfn.CreateStateMachineAliasInput{Name: aws.String("X"), RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(machineARN + ":9"), Weight: 100}}},
			func(err error) { wantAPIError[*types.ResourceNotFound](t, "a missing version", err) }},
	} {
		_, err := c.CreateStateMachineAlias(ctx, &bad.in)
		bad.checkFn(err)
	}
	described := must1[*sfn.DescribeStateMachineAliasOutput](t, "describe alias")(c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: &aliasARN}))
	if aws.ToString(described.Name) != "PROD" || aws.ToString(described.Description) != "canary" || len(described.RoutingConfiguration) != 2 ||
		described.RoutingConfiguration[0].Weight != 50 || aws.ToString(described.RoutingConfiguration[1].StateMachineVersionArn) != v2ARN {
		t.Errorf("alias described as %+v", described)
	}

	// 40 executions on the alias reach both versions (a miss has
	// probability 2^-39), and each records the version it ran.
	ran := map[string]int{}
	for i := range 40 {
		ex := must1[*sfn.StartExecutionOutput](t, "start on alias")(c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: &aliasARN,
			Name: aws.String("a" + strconv.Itoa(i))}))
		d := waitExecution(t, c, ex.ExecutionArn)
		var out struct{ V, ID string }
		if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil {
			t.Fatalf("output %q: %v", aws.ToString(d.Output), err)
		}
		wantVersion := map[string]string{"v1": v1ARN, "v2": v2ARN}[out.V]
		if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.StateMachineVersionArn) != wantVersion ||
			aws.ToString(d.StateMachineAliasArn) != aliasARN || aws.ToString(d.StateMachineArn) != machineARN {
			t.Errorf("execution %d: %s ran %s, described with version %s alias %s machine %s", i, d.Status, out.V,
				aws.ToString(d.StateMachineVersionArn), aws.ToString(d.StateMachineAliasArn), aws.ToString(d.StateMachineArn))
		}
		// Assumed: AWS puts the unqualified machine ARN in the context
		// object, as in DescribeExecution's stateMachineArn.
		if out.ID != machineARN {
			t.Errorf("$$.StateMachine.Id = %q, want %s", out.ID, machineARN)
		}
		if i == 0 {
			def := must1[*sfn.DescribeStateMachineForExecutionOutput](t, "describe for execution")(c.DescribeStateMachineForExecution(ctx,
				&sfn.DescribeStateMachineForExecutionInput{ExecutionArn: ex.ExecutionArn}))
			if aws.ToString(def.Definition) != versionDef(out.V) {
				t.Errorf("DescribeStateMachineForExecution gave %s for an execution of %s", aws.ToString(def.Definition), out.V)
			}
		}
		ran[wantVersion]++
	}
	if ran[v1ARN] == 0 || ran[v2ARN] == 0 {
		t.Errorf("a 50/50 alias ran %v", ran)
	}
	count := func(arn string, filter types.ExecutionStatus) int {
		t.Helper()
		n := 0
		for p := sfn.NewListExecutionsPaginator(c, &sfn.ListExecutionsInput{StateMachineArn: &arn, StatusFilter: filter, MaxResults: 15}); p.HasMorePages(); {
			page := must1[*sfn.ListExecutionsOutput](t, "list executions of "+arn)(p.NextPage(ctx))
			for _, e := range page.Executions {
				if aws.ToString(e.StateMachineAliasArn) != aliasARN && arn == aliasARN {
					t.Errorf("listed %s without its alias", aws.ToString(e.ExecutionArn))
				}
			}
			n += len(page.Executions)
		}
		return n
	}
	if n := count(aliasARN, ""); n != 40 {
		t.Errorf("%d executions of the alias, want 40", n)
	}
	if n := count(v1ARN, types.ExecutionStatusSucceeded); n != ran[v1ARN] {
		t.Errorf("%d executions of version 1, want %d", n, ran[v1ARN])
	}

	// A start on a version: the version, no alias.
	ex := must1[*sfn.StartExecutionOutput](t, "start on v2")(c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: &v2ARN}))
	if d := waitExecution(t, c, ex.ExecutionArn); aws.ToString(d.StateMachineVersionArn) != v2ARN || d.StateMachineAliasArn != nil {
		t.Errorf("start on a version: version %s alias %v", aws.ToString(d.StateMachineVersionArn), d.StateMachineAliasArn)
	}
	if n := count(v2ARN, ""); n != ran[v2ARN]+1 {
		t.Errorf("%d executions of version 2, want %d", n, ran[v2ARN]+1)
	}
	ex = must1[*sfn.StartExecutionOutput](t, "start unqualified")(c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: &machineARN}))
	if d := waitExecution(t, c, ex.ExecutionArn); d.StateMachineVersionArn != nil || d.StateMachineAliasArn != nil {
		t.Errorf("an unqualified start has version %v alias %v", d.StateMachineVersionArn, d.StateMachineAliasArn)
	}

	// Deleting a version an alias routes to is refused; after the alias
	// moves away it succeeds, and deleting it again (or any unknown
	// version) succeeds too.
	_, err = c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: &v1ARN})
	wantAPIError[*types.ConflictException](t, "delete a routed version", err)
	upd := must1[*sfn.UpdateStateMachineAliasOutput](t, "update alias")(c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{
		StateMachineAliasArn: &aliasARN, RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: &v2ARN, Weight: 100}}}))
	if !aws.ToTime(upd.UpdateDate).After(aws.ToTime(alias.CreationDate)) && !aws.ToTime(upd.UpdateDate).Equal(aws.ToTime(alias.CreationDate)) {
		t.Errorf("update date %v before creation %v", upd.UpdateDate, alias.CreationDate)
	}
	_, err = c.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: &aliasARN})
	wantAPIError[*types.ValidationException](t, "update with nothing", err)
	must1[*sfn.DeleteStateMachineVersionOutput](t, "delete v1")(c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: &v1ARN}))
	must1[*sfn.DeleteStateMachineVersionOutput](t, "delete v1 again")(c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: &v1ARN}))
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: &v1ARN})
	wantAPIError[*types.StateMachineDoesNotExist](t, "describe a deleted version", err)
	_, err = c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: &v1ARN})
	wantAPIError[*types.StateMachineDoesNotExist](t, "start a deleted version", err)

	// Aliases of the machine and of a version.
	must1[*sfn.CreateStateMachineAliasOutput](t, "create DEV")(c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{
		Name: aws.String("DEV"), RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: &v2ARN, Weight: 100}}}))
	var aliases []string
	for in := (&sfn.ListStateMachineAliasesInput{StateMachineArn: &machineARN, MaxResults: 1}); ; {
		page := must1[*sfn.ListStateMachineAliasesOutput](t, "list aliases")(c.ListStateMachineAliases(ctx, in))
		for _, a := range page.StateMachineAliases {
			aliases = append(aliases, aws.ToString(a.StateMachineAliasArn))
		}
		if page.NextToken == nil || len(aliases) > 5 {
			break
		}
		in.NextToken = page.NextToken
	}
	if len(aliases) != 2 || aliases[0] != aliasARN || aliases[1] != machineARN+":DEV" {
		t.Errorf("aliases %v", aliases)
	}
	byVersion := must1[*sfn.ListStateMachineAliasesOutput](t, "aliases of v2")(c.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: &v2ARN}))
	if len(byVersion.StateMachineAliases) != 2 {
		t.Errorf("aliases of version 2: %v", byVersion.StateMachineAliases)
	}
	must1[*sfn.DeleteStateMachineAliasOutput](t, "delete DEV")(c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: aws.String(machineARN + ":DEV")}))
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(machineARN + ":DEV")})
	wantAPIError[*types.ResourceNotFound](t, "describe a deleted alias", err)

	// An Express machine's version runs synchronously.
	express := must1[*sfn.CreateStateMachineOutput](t, "create express")(c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("fast"), RoleArn: role, Type: types.StateMachineTypeExpress, Definition: aws.String(versionDef("e1")), Publish: true}))
	sync := must1[*sfn.StartSyncExecutionOutput](t, "start sync on a version")(c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{
		StateMachineArn: express.StateMachineVersionArn}))
	if sync.Status != types.SyncExecutionStatusSucceeded || aws.ToString(sync.StateMachineArn) != aws.ToString(express.StateMachineArn) {
		t.Errorf("sync execution on a version: %s of %s", sync.Status, aws.ToString(sync.StateMachineArn))
	}

	// Deleting the machine deletes its versions and aliases.
	must1[*sfn.DeleteStateMachineOutput](t, "delete machine")(c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: &machineARN}))
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: &machineARN})
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the machine was never deleted")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, err = c.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: &v2ARN})
	wantAPIError[*types.StateMachineDoesNotExist](t, "a version of a deleted machine", err)
	_, err = c.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: &aliasARN})
	wantAPIError[*types.ResourceNotFound](t, "an alias of a deleted machine", err)
}
