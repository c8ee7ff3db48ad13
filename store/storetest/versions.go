package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"stepwise/store"
)

func versionARN(sm string, n int) string { return smARN(sm) + ":" + strconv.Itoa(n) }

func publish(t *testing.T, s store.Store, sm, rev, desc string, sec int) store.StateMachineVersion {
	t.Helper()
	v, err := s.PublishStateMachineVersion(t.Context(), store.VersionPublish{StateMachineARN: smARN(sm), RevisionID: rev, Description: desc, CreationDate: at(sec)})
	must(t, "publish "+sm, err)
	return v
}

func update(t *testing.T, s store.Store, sm, rev string, sec int, publish *store.VersionPublish) store.StateMachine {
	t.Helper()
	def := `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}` + rev
	got, err := s.UpdateStateMachine(t.Context(), store.StateMachineUpdate{ARN: smARN(sm), RevisionID: rev, UpdateDate: at(sec), Definition: &def, Publish: publish})
	must(t, "update "+sm, err)
	return got
}

// testVersions: publishing numbers versions per machine, finds the version
// of an unchanged revision, checks the expected revision, lists newest
// first with pages, and never gives a deleted number again; deleting the
// machine deletes its versions.
func testVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	ensureMachine(t, s, "other")
	_, err := s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("none")})
	wantErr(t, "publish unknown machine", err, store.ErrNotFound)

	v1 := publish(t, s, "m", store.InitialRevision, "first", 1)
	diff(t, "version 1", store.StateMachineVersion{ARN: versionARN("m", 1), StateMachineARN: smARN("m"), Number: 1,
		RevisionID: "rev-m-1", Description: "first", CreationDate: at(1)}, v1)
	again, err := s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("m"), Description: "other text", CreationDate: at(2)})
	wantErr(t, "publish an unchanged revision", err, store.ErrAlreadyExists)
	diff(t, "the existing version", v1, again)
	got, err := s.GetStateMachineVersion(ctx, v1.ARN)
	must(t, "get version", err)
	diff(t, "got version", v1, got)
	if o := publish(t, s, "other", "", "", 1); o.Number != 1 {
		t.Errorf("other machine's first version is %d, want 1 (numbers are per machine)", o.Number)
	}

	update(t, s, "m", "rev-m-2", 3, nil)
	_, err = s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("m"), RevisionID: "rev-m-1"})
	wantErr(t, "publish with an old revision id", err, store.ErrConflict)
	_, err = s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("m"), RevisionID: store.InitialRevision})
	wantErr(t, "publish INITIAL after an update", err, store.ErrConflict)
	v2 := publish(t, s, "m", "rev-m-2", "", 4)
	if v2.Number != 2 || v2.RevisionID != "rev-m-2" || v2.ARN != versionARN("m", 2) {
		t.Errorf("second version %+v, want number 2 of rev-m-2", v2)
	}

	// Update and publish in one: the version is of the new revision.
	sm := update(t, s, "m", "rev-m-3", 5, &store.VersionPublish{Description: "third"})
	if sm.VersionARN != versionARN("m", 3) || sm.RevisionID != "rev-m-3" {
		t.Errorf("update with publish gave %q of %q, want version 3 of rev-m-3", sm.VersionARN, sm.RevisionID)
	}
	v3, err := s.GetStateMachineVersion(ctx, versionARN("m", 3))
	must(t, "get version 3", err)
	if v3.Description != "third" || v3.RevisionID != "rev-m-3" || !v3.CreationDate.Equal(at(5)) {
		t.Errorf("version 3 %+v", v3)
	}
	if latest, _ := s.GetStateMachine(ctx, smARN("m")); latest.VersionARN != "" {
		t.Errorf("GetStateMachine VersionARN %q, want empty", latest.VersionARN)
	}

	must(t, "delete version 3", s.DeleteStateMachineVersion(ctx, versionARN("m", 3)))
	wantErr(t, "delete it again", s.DeleteStateMachineVersion(ctx, versionARN("m", 3)), store.ErrNotFound)
	_, err = s.GetStateMachineVersion(ctx, versionARN("m", 3))
	wantErr(t, "get deleted version", err, store.ErrNotFound)
	update(t, s, "m", "rev-m-4", 6, nil)
	if v := publish(t, s, "m", "", "", 7); v.Number != 4 {
		t.Errorf("version after deleting 3 is %d, want 4 (numbers are never reused)", v.Number)
	}

	var all []int64
	p := store.Page{MaxResults: 2}
	for i := 0; ; i++ {
		list, next, err := s.ListStateMachineVersions(ctx, smARN("m"), p)
		must(t, "list versions", err)
		for _, v := range list {
			all = append(all, v.Number)
		}
		if next == "" {
			break
		}
		if i > 5 {
			t.Fatal("pages never end")
		}
		p.NextToken = next
	}
	diff(t, "version numbers, newest first", []int64{4, 2, 1}, all)
	_, _, err = s.ListStateMachineVersions(ctx, smARN("none"), store.Page{})
	wantErr(t, "list versions of unknown machine", err, store.ErrNotFound)
	_, _, err = s.ListStateMachineVersions(ctx, smARN("m"), store.Page{NextToken: "bogus"})
	wantErr(t, "bad token", err, store.ErrInvalidToken)

	must(t, "delete machine", s.DeleteStateMachine(ctx, smARN("m")))
	_, err = s.GetStateMachineVersion(ctx, versionARN("m", 1))
	wantErr(t, "version of a deleted machine", err, store.ErrNotFound)
	ensureMachine(t, s, "m")
	if v := publish(t, s, "m", "", "", 9); v.Number != 1 {
		t.Errorf("a new machine of the same name starts at %d, want 1", v.Number)
	}
}

// testVersionsConcurrent: concurrent publishes of one revision make one
// version; concurrent updates with publish make distinct numbers.
func testVersionsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	var wg sync.WaitGroup
	got := make([]store.StateMachineVersion, 8)
	for i := range got {
		wg.Go(func() {
			v, err := s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("m"), CreationDate: at(1)})
			if err != nil && !isErr(err, store.ErrAlreadyExists) {
				t.Errorf("publish: %v", err)
			}
			got[i] = v
		})
	}
	wg.Wait()
	for _, v := range got {
		if v.ARN != versionARN("m", 1) {
			t.Errorf("a concurrent publish of one revision gave %q, want version 1", v.ARN)
		}
	}
	arns := make([]string, 8)
	for i := range arns {
		wg.Go(func() {
			def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
			sm, err := s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: smARN("m"), RevisionID: "r" + strconv.Itoa(i), UpdateDate: at(2),
				Definition: &def, Publish: &store.VersionPublish{}})
			if err != nil {
				t.Errorf("update %d: %v", i, err)
			}
			arns[i] = sm.VersionARN
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, a := range arns {
		if seen[a] {
			t.Errorf("version %q given twice", a)
		}
		seen[a] = true
	}
	list, _, err := s.ListStateMachineVersions(ctx, smARN("m"), store.Page{})
	must(t, "list", err)
	if len(list) != 9 || list[0].Number != 9 {
		t.Errorf("%d versions, newest %v; want 9", len(list), list)
	}
}

// testVersionQuota: the 1001st version is refused with ErrQuotaExceeded.
func testVersionQuota(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	for i := 1; i <= store.MaxVersions; i++ {
		def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
		_, err := s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: smARN("m"), RevisionID: "r" + strconv.Itoa(i), UpdateDate: at(i),
			Definition: &def, Publish: &store.VersionPublish{}})
		must(t, "update and publish", err)
	}
	update(t, s, "m", "last", 2000, nil)
	_, err := s.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: smARN("m")})
	wantErr(t, "publish past the quota", err, store.ErrQuotaExceeded)
	def := "{}"
	_, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: smARN("m"), RevisionID: "over", UpdateDate: at(2001), Definition: &def, Publish: &store.VersionPublish{}})
	wantErr(t, "update and publish past the quota", err, store.ErrQuotaExceeded)
	if sm, _ := s.GetStateMachine(ctx, smARN("m")); sm.RevisionID != "last" {
		t.Errorf("a refused update with publish wrote revision %q", sm.RevisionID)
	}
	must(t, "delete one", s.DeleteStateMachineVersion(ctx, versionARN("m", 5)))
	if v := publish(t, s, "m", "", "", 2002); v.Number != 1001 {
		t.Errorf("after a delete the next version is %d, want 1001", v.Number)
	}
}

func alias(sm, name string, sec int, routes ...store.Route) store.StateMachineAlias {
	return store.StateMachineAlias{ARN: smARN(sm) + ":" + name, StateMachineARN: smARN(sm), Name: name, Description: "alias " + name,
		Routing: routes, CreationDate: at(sec), UpdateDate: at(sec)}
}

// testAliases: aliases route to versions of their own machine, are
// listed in creation order (or by version), block deleting a version
// they route to, and go with their machine.
func testAliases(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	ensureMachine(t, s, "other")
	v1 := publish(t, s, "m", "", "", 1)
	update(t, s, "m", "rev-m-2", 2, nil)
	v2 := publish(t, s, "m", "", "", 3)
	ov := publish(t, s, "other", "", "", 3)

	prod := alias("m", "PROD", 4, store.Route{VersionARN: v1.ARN, Weight: 50}, store.Route{VersionARN: v2.ARN, Weight: 50})
	got, err := s.CreateStateMachineAlias(ctx, prod)
	must(t, "create alias", err)
	diff(t, "created alias", prod, got)
	again, err := s.CreateStateMachineAlias(ctx, alias("m", "PROD", 5, store.Route{VersionARN: v2.ARN, Weight: 100}))
	wantErr(t, "create it again", err, store.ErrAlreadyExists)
	diff(t, "the existing alias", prod, again)
	_, err = s.CreateStateMachineAlias(ctx, alias("m", "BAD", 5, store.Route{VersionARN: ov.ARN, Weight: 100}))
	wantErr(t, "route to another machine's version", err, store.ErrNotFound)
	_, err = s.CreateStateMachineAlias(ctx, alias("m", "BAD", 5, store.Route{VersionARN: versionARN("m", 9), Weight: 100}))
	wantErr(t, "route to a missing version", err, store.ErrNotFound)
	_, err = s.CreateStateMachineAlias(ctx, alias("none", "BAD", 5, store.Route{VersionARN: versionARN("none", 1), Weight: 100}))
	wantErr(t, "alias of a missing machine", err, store.ErrNotFound)
	dev, err := s.CreateStateMachineAlias(ctx, alias("m", "DEV", 6, store.Route{VersionARN: v2.ARN, Weight: 100}))
	must(t, "create DEV", err)

	wantErr(t, "delete a routed version", s.DeleteStateMachineVersion(ctx, v1.ARN), store.ErrVersionInUse)
	desc := "now one"
	upd, err := s.UpdateStateMachineAlias(ctx, store.AliasUpdate{ARN: prod.ARN, Description: &desc,
		Routing: []store.Route{{VersionARN: v2.ARN, Weight: 100}}, UpdateDate: at(7)})
	must(t, "update alias", err)
	want := prod
	want.Description, want.Routing, want.UpdateDate = desc, []store.Route{{VersionARN: v2.ARN, Weight: 100}}, at(7)
	diff(t, "updated alias", want, upd)
	got, err = s.GetStateMachineAlias(ctx, prod.ARN)
	must(t, "get alias", err)
	diff(t, "got alias", want, got)
	_, err = s.UpdateStateMachineAlias(ctx, store.AliasUpdate{ARN: prod.ARN, Routing: []store.Route{{VersionARN: ov.ARN, Weight: 100}}, UpdateDate: at(8)})
	wantErr(t, "update to another machine's version", err, store.ErrNotFound)
	_, err = s.UpdateStateMachineAlias(ctx, store.AliasUpdate{ARN: smARN("m") + ":NONE", Description: &desc})
	wantErr(t, "update a missing alias", err, store.ErrNotFound)
	must(t, "delete the version no alias routes to any more", s.DeleteStateMachineVersion(ctx, v1.ARN))

	list, next, err := s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("m"), Page: store.Page{MaxResults: 1}})
	must(t, "list page 1", err)
	list2, next2, err := s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("m"), Page: store.Page{MaxResults: 1, NextToken: next}})
	must(t, "list page 2", err)
	if len(list) != 1 || len(list2) != 1 || list[0].ARN != prod.ARN || list2[0].ARN != dev.ARN || next == "" {
		t.Errorf("alias pages %v / %v (next %q %q), want PROD then DEV", list, list2, next, next2)
	}
	if next2 != "" {
		if l3, _, _ := s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("m"), Page: store.Page{NextToken: next2}}); len(l3) != 0 {
			t.Errorf("a third page %v", l3)
		}
	}
	byVersion, _, err := s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("m"), VersionARN: v2.ARN})
	must(t, "list by version", err)
	if len(byVersion) != 2 {
		t.Errorf("aliases routing to v2: %v, want 2", byVersion)
	}
	_, _, err = s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("none")})
	wantErr(t, "list aliases of unknown machine", err, store.ErrNotFound)

	must(t, "delete DEV", s.DeleteStateMachineAlias(ctx, dev.ARN))
	wantErr(t, "delete DEV again", s.DeleteStateMachineAlias(ctx, dev.ARN), store.ErrNotFound)
	_, err = s.GetStateMachineAlias(ctx, dev.ARN)
	wantErr(t, "get deleted alias", err, store.ErrNotFound)

	must(t, "delete machine", s.DeleteStateMachine(ctx, smARN("m")))
	_, err = s.GetStateMachineAlias(ctx, prod.ARN)
	wantErr(t, "alias of a deleted machine", err, store.ErrNotFound)
	ensureMachine(t, s, "m")
	l, _, err := s.ListStateMachineAliases(ctx, store.AliasQuery{StateMachineARN: smARN("m")})
	must(t, "list aliases of the new machine", err)
	if len(l) != 0 {
		t.Errorf("a new machine of the same name has aliases %v", l)
	}
}

// testAliasQuota: the 101st alias is refused.
func testAliasQuota(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	v := publish(t, s, "m", "", "", 1)
	for i := range store.MaxAliases {
		_, err := s.CreateStateMachineAlias(ctx, alias("m", "a"+strconv.Itoa(i), 2, store.Route{VersionARN: v.ARN, Weight: 100}))
		must(t, "create alias", err)
	}
	_, err := s.CreateStateMachineAlias(ctx, alias("m", "over", 2, store.Route{VersionARN: v.ARN, Weight: 100}))
	wantErr(t, "alias past the quota", err, store.ErrQuotaExceeded)
}

// testDeleteVersionRacingAlias: of a DeleteStateMachineVersion and a
// CreateStateMachineAlias routing to it, run together, never both win.
func testDeleteVersionRacingAlias(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	for i := range 20 {
		update(t, s, "m", "race"+strconv.Itoa(i), i+1, nil)
		v := publish(t, s, "m", "", "", i+1)
		var wg sync.WaitGroup
		var delErr, aliasErr error
		wg.Go(func() { delErr = s.DeleteStateMachineVersion(ctx, v.ARN) })
		wg.Go(func() {
			_, aliasErr = s.CreateStateMachineAlias(ctx, alias("m", "r"+strconv.Itoa(i), i, store.Route{VersionARN: v.ARN, Weight: 100}))
		})
		wg.Wait()
		if delErr == nil && aliasErr == nil {
			t.Fatalf("round %d: the version was deleted and an alias routes to it", i)
		}
		if delErr != nil && !isErr(delErr, store.ErrVersionInUse) || aliasErr != nil && !isErr(aliasErr, store.ErrNotFound) {
			t.Fatalf("round %d: delete %v, alias %v", i, delErr, aliasErr)
		}
	}
}

// testExecutionsOfVersions: executions keep their version and alias, and
// listings by version or alias keep only theirs.
func testExecutionsOfVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	ensureMachine(t, s, "m")
	v1 := versionARN("m", 1)
	al := smARN("m") + ":PROD"
	for i, q := range []struct{ version, alias string }{{"", ""}, {v1, ""}, {v1, al}, {versionARN("m", 2), al}} {
		e := execution("m", "e"+strconv.Itoa(i), at(i))
		e.VersionARN, e.AliasARN = q.version, q.alias
		must(t, "start", s.Commit(ctx, store.Commit{Start: &e, Events: []store.Event{event(1, "ExecutionStarted")}}))
		got, err := s.GetExecution(ctx, e.ARN)
		must(t, "get", err)
		if got.VersionARN != q.version || got.AliasARN != q.alias {
			t.Errorf("execution %d has version %q alias %q, want %q %q", i, got.VersionARN, got.AliasARN, q.version, q.alias)
		}
	}
	names := func(q store.ExecutionQuery) []string {
		t.Helper()
		list, _, err := s.ListExecutions(ctx, q)
		must(t, "list", err)
		var out []string
		for _, e := range list {
			out = append(out, e.Name)
			if e.VersionARN == "" && e.Name != "e0" {
				t.Errorf("listed %s without its version", e.Name)
			}
		}
		return out
	}
	diff(t, "all", []string{"e3", "e2", "e1", "e0"}, names(store.ExecutionQuery{StateMachineARN: smARN("m")}))
	diff(t, "version 1", []string{"e2", "e1"}, names(store.ExecutionQuery{VersionARN: v1}))
	diff(t, "alias", []string{"e3", "e2"}, names(store.ExecutionQuery{AliasARN: al}))
	diff(t, "alias, running", []string{"e3", "e2"}, names(store.ExecutionQuery{AliasARN: al, Status: store.ExecutionRunning}))
	diff(t, "alias, one a page", []string{"e3"}, names(store.ExecutionQuery{AliasARN: al, Page: store.Page{MaxResults: 1}}))
	diff(t, "version, failed", []string(nil), names(store.ExecutionQuery{VersionARN: v1, Status: store.ExecutionFailed}))
}

// testEncryptionConfiguration: the configuration is kept per revision.
func testEncryptionConfiguration(t *testing.T, s store.Store) {
	ctx := t.Context()
	sm := machine("m", at(0))
	sm.EncryptionConfiguration = `{"type":"AWS_OWNED_KEY"}`
	_, err := s.CreateStateMachine(ctx, sm, nil)
	must(t, "create", err)
	enc := `{"type":"AWS_OWNED_KEY","kmsDataKeyReusePeriodSeconds":300}`
	_, err = s.UpdateStateMachine(ctx, store.StateMachineUpdate{ARN: sm.ARN, RevisionID: "r2", UpdateDate: at(1), EncryptionConfiguration: &enc})
	must(t, "update", err)
	latest, err := s.GetStateMachine(ctx, sm.ARN)
	must(t, "get", err)
	first, err := s.GetStateMachineRevision(ctx, sm.ARN, sm.RevisionID)
	must(t, "get first revision", err)
	if latest.EncryptionConfiguration != enc || latest.RevisionID != "r2" || first.EncryptionConfiguration != sm.EncryptionConfiguration {
		t.Errorf("latest %q (%s), first %q", latest.EncryptionConfiguration, latest.RevisionID, first.EncryptionConfiguration)
	}
}

func isErr(err, target error) bool { return errors.Is(err, target) }
