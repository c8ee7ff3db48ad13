package service_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"stepwise/service"
	"stepwise/store"
)

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

// TestVersionRefusals: each refusal AWS documents for versions, with its
// error type.
func TestVersionRefusals(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	arn := h.machine(t, "m", passDef, "")
	v1, err := h.svc.PublishStateMachineVersion(ctx, service.PublishVersionInput{StateMachineARN: arn, RevisionID: ptr("INITIAL")})
	if err != nil || v1.ARN != arn+":1" {
		t.Fatalf("publish INITIAL: %v %v", v1, err)
	}
	long := strings.Repeat("d", 257)
	def2 := `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
	if _, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def2}); err != nil {
		t.Fatal(err)
	}
	missing := strings.Replace(arn, ":m", ":none", 1)
	for _, tt := range []struct {
		name string
		err  error
		code string
	}{
		{"publish with a stale revisionId", pub(h, t, arn, ptr(v1.RevisionID), nil), service.CodeConflict},
		{"publish INITIAL after an update", pub(h, t, arn, ptr("INITIAL"), nil), service.CodeConflict},
		{"publish an unknown machine", pub(h, t, missing, nil, nil), service.CodeStateMachineDoesNotExist},
		{"publish a version ARN", pub(h, t, v1.ARN, nil, nil), service.CodeValidation},
		{"publish a description too long", pub(h, t, arn, nil, &long), service.CodeValidation},
		{"publish an activity ARN", pub(h, t, strings.Replace(arn, "stateMachine", "activity", 1), nil, nil), service.CodeInvalidArn},
		{"delete a version with a bad ARN", h.svc.DeleteStateMachineVersion(ctx, arn), service.CodeInvalidArn},
		{"delete version 0", h.svc.DeleteStateMachineVersion(ctx, arn+":0"), service.CodeInvalidArn},
		{"list versions of an unknown machine", list(h.svc.ListStateMachineVersions(ctx, missing, store.Page{})), service.CodeStateMachineDoesNotExist},
		{"list versions with a bad token", list(h.svc.ListStateMachineVersions(ctx, arn, store.Page{NextToken: "x"})), service.CodeInvalidToken},
		{"describe an unknown version", desc(h.svc.DescribeStateMachine(ctx, arn+":9")), service.CodeStateMachineDoesNotExist},
		{"describe an alias as a machine", desc(h.svc.DescribeStateMachine(ctx, arn+":PROD")), service.CodeInvalidArn},
		{"versionDescription without publish", create(h, t, "x", false, ptr("d"), ""), service.CodeValidation},
		{"a customer managed key", create(h, t, "y", false, nil, `{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"alias/k"}`), service.CodeInvalidEncryption},
		{"a customer managed key without its id", create(h, t, "y", false, nil, `{"type":"CUSTOMER_MANAGED_KMS_KEY"}`), service.CodeInvalidEncryption},
		{"an unknown encryption type", create(h, t, "y", false, nil, `{"type":"ROT13"}`), service.CodeValidation},
		{"a reuse period out of range", create(h, t, "y", false, nil, `{"type":"CUSTOMER_MANAGED_KMS_KEY","kmsKeyId":"k","kmsDataKeyReusePeriodSeconds":59}`), service.CodeValidation},
		{"an encryption configuration without type", create(h, t, "y", false, nil, `{}`), service.CodeValidation},
		{"start an unknown version", startOn(h, t, arn+":7"), service.CodeStateMachineDoesNotExist},
		{"start an unknown alias", startOn(h, t, arn+":PROD"), service.CodeStateMachineDoesNotExist},
		{"delete a machine by version ARN", h.svc.DeleteStateMachine(ctx, v1.ARN), service.CodeValidation},
		{"start a Distributed Map's ARN", startOn(h, t, arn+"/label"), service.CodeValidation},
	} {
		wantCode(t, tt.name, tt.err, tt.code)
	}
	// AWS_OWNED_KEY is stored and returned.
	sm, err := h.svc.CreateStateMachine(ctx, service.CreateStateMachineInput{Name: "owned", Definition: passDef, RoleARN: role,
		EncryptionConfiguration: `{"type":"AWS_OWNED_KEY"}`, Publish: true, VersionDescription: ptr("v")})
	if err != nil || sm.VersionARN == "" {
		t.Fatalf("create with AWS_OWNED_KEY and publish: %+v %v", sm, err)
	}
	got, err := h.svc.DescribeStateMachine(ctx, sm.VersionARN)
	if err != nil || got.EncryptionConfiguration != `{"type":"AWS_OWNED_KEY"}` || got.Description != "v" || got.ARN != sm.VersionARN {
		t.Errorf("describe the version: %+v %v", got, err)
	}
}

func pub(h *harness, t *testing.T, arn string, rev, desc *string) error {
	_, err := h.svc.PublishStateMachineVersion(t.Context(), service.PublishVersionInput{StateMachineARN: arn, RevisionID: rev, Description: desc})
	return err
}

func list[T any](_ T, _ string, err error) error { return err }

func desc(_ store.StateMachine, err error) error { return err }

func create(h *harness, t *testing.T, name string, publish bool, vdesc *string, enc string) error {
	_, err := h.svc.CreateStateMachine(t.Context(), service.CreateStateMachineInput{Name: name, Definition: passDef, RoleARN: role,
		Publish: publish, VersionDescription: vdesc, EncryptionConfiguration: enc})
	return err
}

func startOn(h *harness, t *testing.T, arn string) error {
	_, err := h.svc.StartExecution(t.Context(), service.StartExecutionInput{StateMachineARN: arn})
	return err
}

// TestAliasRefusals: each refusal AWS documents for aliases.
func TestAliasRefusals(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	arn := h.machine(t, "m", passDef, "")
	other := h.machine(t, "o", passDef, "")
	v1, err := h.svc.PublishStateMachineVersion(ctx, service.PublishVersionInput{StateMachineARN: arn})
	if err != nil {
		t.Fatal(err)
	}
	ov, err := h.svc.PublishStateMachineVersion(ctx, service.PublishVersionInput{StateMachineARN: other})
	if err != nil {
		t.Fatal(err)
	}
	route := func(v string, w int) store.Route { return store.Route{VersionARN: v, Weight: w} }
	mk := func(name string, routes ...store.Route) error {
		_, err := h.svc.CreateStateMachineAlias(ctx, service.CreateAliasInput{Name: name, Routing: routes})
		return err
	}
	if err := mk("PROD", route(v1.ARN, 100)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		err  error
		code string
	}{
		{"a name of digits only", mk("123", route(v1.ARN, 100)), service.CodeValidation},
		{"a name with a space", mk("a b", route(v1.ARN, 100)), service.CodeValidation},
		{"a name too long", mk(strings.Repeat("a", 81), route(v1.ARN, 100)), service.CodeValidation},
		{"no routes", mk("A"), service.CodeValidation},
		{"three routes", mk("A", route(v1.ARN, 50), route(v1.ARN, 25), route(v1.ARN, 25)), service.CodeValidation},
		{"weights summing to 90", mk("A", route(v1.ARN, 90)), service.CodeValidation},
		{"a weight over 100", mk("A", route(v1.ARN, 101)), service.CodeValidation},
		{"a negative weight", mk("A", route(v1.ARN, -1)), service.CodeValidation},
		{"the same version twice", mk("A", route(v1.ARN, 50), route(v1.ARN, 50)), service.CodeValidation},
		{"versions of two machines", mk("A", route(v1.ARN, 50), route(ov.ARN, 50)), service.CodeValidation},
		{"a route to a machine ARN", mk("A", route(arn, 100)), service.CodeInvalidArn},
		{"a route to a missing version", mk("A", route(arn+":5", 100)), service.CodeResourceNotFound},
		{"describe a missing alias", aliasErr(h.svc.DescribeStateMachineAlias(ctx, arn+":NONE")), service.CodeResourceNotFound},
		{"describe a version as an alias", aliasErr(h.svc.DescribeStateMachineAlias(ctx, v1.ARN)), service.CodeInvalidArn},
		{"update with nothing", aliasErr(h.svc.UpdateStateMachineAlias(ctx, service.UpdateAliasInput{ARN: arn + ":PROD"})), service.CodeValidation},
		{"update to another machine's version", aliasErr(h.svc.UpdateStateMachineAlias(ctx, service.UpdateAliasInput{ARN: arn + ":PROD",
			Routing: []store.Route{route(ov.ARN, 100)}})), service.CodeValidation},
		{"update a missing alias", aliasErr(h.svc.UpdateStateMachineAlias(ctx, service.UpdateAliasInput{ARN: arn + ":NONE", Description: ptr("d")})), service.CodeResourceNotFound},
		{"delete a missing alias", h.svc.DeleteStateMachineAlias(ctx, arn+":NONE"), service.CodeResourceNotFound},
		{"delete a routed version", h.svc.DeleteStateMachineVersion(ctx, v1.ARN), service.CodeConflict},
		{"list aliases of a missing machine", list(h.svc.ListStateMachineAliases(ctx, arn+"x", store.Page{})), service.CodeStateMachineDoesNotExist},
		{"list aliases of a missing version", list(h.svc.ListStateMachineAliases(ctx, arn+":9", store.Page{})), service.CodeResourceNotFound},
		{"list executions of a missing alias", list(h.svc.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: arn + ":NONE"})), service.CodeResourceNotFound},
		{"list executions of a missing version", list(h.svc.ListExecutions(ctx, store.ExecutionQuery{StateMachineARN: arn + ":9"})), service.CodeResourceNotFound},
	} {
		wantCode(t, tt.name, tt.err, tt.code)
	}
	// The same name with the same config is the same alias; with a
	// different one, ConflictException.
	if err := mk("PROD", route(v1.ARN, 100)); err != nil {
		t.Errorf("an idempotent create: %v", err)
	}
	def2 := `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
	sm, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def2, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "the same name, another config", mk("PROD", route(sm.VersionARN, 100)), service.CodeConflict)
	// The 101st alias.
	for i := range 99 {
		if err := mk("a"+strconv.Itoa(i), route(v1.ARN, 100)); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "the 101st alias", mk("over", route(v1.ARN, 100)), service.CodeServiceQuotaExceeded)
}

func aliasErr(_ store.StateMachineAlias, err error) error { return err }

// TestVersionQuota: the 1001st version is ServiceQuotaExceededException.
func TestVersionQuota(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	arn := h.machine(t, "m", passDef, "")
	for i := range store.MaxVersions {
		def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":` + strconv.Itoa(i) + `,"End":true}}}`
		if _, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def, Publish: true}); err != nil {
			t.Fatal(err)
		}
	}
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	_, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def, Publish: true})
	wantCode(t, "update and publish the 1001st", err, service.CodeServiceQuotaExceeded)
	if _, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "publish the 1001st", pub(h, t, arn, nil, nil), service.CodeServiceQuotaExceeded)
}

// TestAliasWeights: an alias's executions follow its weights: a 0/100
// alias never runs the 0 version, and concurrent starts on a 50/50 alias
// reach both.
func TestAliasWeights(t *testing.T) {
	h := start(t)
	ctx := t.Context()
	arn := h.machine(t, "m", passDef, "")
	v1, _ := h.svc.PublishStateMachineVersion(ctx, service.PublishVersionInput{StateMachineARN: arn})
	def2 := `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
	sm, err := h.svc.UpdateStateMachine(ctx, service.UpdateStateMachineInput{ARN: arn, Definition: &def2, Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		name string
		w1   int
	}{{"ZERO", 0}, {"HALF", 50}} {
		if _, err := h.svc.CreateStateMachineAlias(ctx, service.CreateAliasInput{Name: a.name,
			Routing: []store.Route{{VersionARN: v1.ARN, Weight: a.w1}, {VersionARN: sm.VersionARN, Weight: 100 - a.w1}}}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	ran := map[string]map[string]int{"ZERO": {}, "HALF": {}}
	var wg sync.WaitGroup
	for i := range 40 {
		for _, name := range []string{"ZERO", "HALF"} {
			wg.Go(func() {
				e, err := h.svc.StartExecution(ctx, service.StartExecutionInput{StateMachineARN: arn + ":" + name, Name: name + strconv.Itoa(i)})
				if err != nil {
					t.Error(err)
					return
				}
				if e.AliasARN != arn+":"+name {
					t.Errorf("execution on %s has alias %q", name, e.AliasARN)
				}
				mu.Lock()
				ran[name][e.VersionARN]++
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	if ran["ZERO"][v1.ARN] != 0 || ran["ZERO"][sm.VersionARN] != 40 {
		t.Errorf("a 0/100 alias ran %v", ran["ZERO"])
	}
	if ran["HALF"][v1.ARN] == 0 || ran["HALF"][sm.VersionARN] == 0 {
		t.Errorf("a 50/50 alias ran %v", ran["HALF"])
	}
}
