package memory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"stepwise/store"
)

type aliasRec struct {
	seq int64
	a   store.StateMachineAlias
}

// qualifiedMachine returns the state machine ARN of a version or alias
// ARN (MACHINE_ARN:QUALIFIER).
func qualifiedMachine(arn string) string {
	i := strings.LastIndexByte(arn, ':')
	if i < 0 {
		return arn
	}
	return arn[:i]
}

func cloneAlias(a store.StateMachineAlias) store.StateMachineAlias {
	a.Routing = slices.Clone(a.Routing)
	return a
}

// checkPublishLocked returns the version that publishing sm, m's latest
// revision (new when revised), would make, or the existing version of sm
// with ErrAlreadyExists, or the error that refuses it.
func (s *Store) checkPublishLocked(m *machineRec, sm store.StateMachine, revised bool, p store.VersionPublish) (store.StateMachineVersion, error) {
	if m.latest.Status == store.StatusDeleting {
		return store.StateMachineVersion{}, store.ErrStateMachineDeleting
	}
	switch p.RevisionID {
	case "":
	case store.InitialRevision:
		if len(m.revisions) != 1 || revised {
			return store.StateMachineVersion{}, fmt.Errorf("revision %s is not the latest: %w", p.RevisionID, store.ErrConflict)
		}
	default:
		if p.RevisionID != sm.RevisionID {
			return store.StateMachineVersion{}, fmt.Errorf("revision %s is not the latest: %w", p.RevisionID, store.ErrConflict)
		}
	}
	if !revised {
		for _, v := range m.versions {
			if v.RevisionID == sm.RevisionID {
				return v, store.ErrAlreadyExists
			}
		}
	}
	if len(m.versions) >= store.MaxVersions {
		return store.StateMachineVersion{}, fmt.Errorf("%d versions: %w", len(m.versions), store.ErrQuotaExceeded)
	}
	n := m.lastVersion + 1
	return store.StateMachineVersion{ARN: sm.ARN + ":" + strconv.FormatInt(n, 10), StateMachineARN: sm.ARN, Number: n,
		RevisionID: sm.RevisionID, Description: p.Description, CreationDate: norm(p.CreationDate)}, nil
}

// addVersionLocked stores v (a no-op for a version already stored).
func (m *machineRec) addVersionLocked(v store.StateMachineVersion) {
	m.versions[v.Number] = v
	m.lastVersion = max(m.lastVersion, v.Number)
}

// PublishStateMachineVersion implements [store.Versions].
func (s *Store) PublishStateMachineVersion(ctx context.Context, p store.VersionPublish) (store.StateMachineVersion, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachineVersion{}, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[p.StateMachineARN]
	if !ok {
		return store.StateMachineVersion{}, fmt.Errorf("publish %s: %w", p.StateMachineARN, store.ErrNotFound)
	}
	v, err := s.checkPublishLocked(m, m.latest, false, p)
	if err != nil {
		return v, fmt.Errorf("publish %s: %w", p.StateMachineARN, err)
	}
	m.addVersionLocked(v)
	return v, nil
}

// versionLocked returns the version arn, or false.
func (s *Store) versionLocked(arn string) (*machineRec, store.StateMachineVersion, bool) {
	m, ok := s.machines[qualifiedMachine(arn)]
	if !ok {
		return nil, store.StateMachineVersion{}, false
	}
	n, err := strconv.ParseInt(arn[len(m.latest.ARN)+1:], 10, 64)
	if err != nil {
		return nil, store.StateMachineVersion{}, false
	}
	v, ok := m.versions[n]
	return m, v, ok && v.ARN == arn
}

// GetStateMachineVersion implements [store.Versions].
func (s *Store) GetStateMachineVersion(ctx context.Context, arn string) (store.StateMachineVersion, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachineVersion{}, err
	}
	defer s.mu.Unlock()
	_, v, ok := s.versionLocked(arn)
	if !ok {
		return store.StateMachineVersion{}, fmt.Errorf("get version %s: %w", arn, store.ErrNotFound)
	}
	return v, nil
}

// ListStateMachineVersions implements [store.Versions].
func (s *Store) ListStateMachineVersions(ctx context.Context, machineARN string, p store.Page) ([]store.StateMachineVersion, string, error) {
	before := int64(-1)
	if p.NextToken != "" {
		var err error
		if before, err = store.DecodeToken(store.TokenVersions, p.NextToken); err != nil {
			return nil, "", err
		}
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[machineARN]
	if !ok {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, store.ErrNotFound)
	}
	out := []store.StateMachineVersion{}
	for _, v := range m.versions {
		if before < 0 || v.Number < before {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b store.StateMachineVersion) int { return int(b.Number - a.Number) })
	n := store.PageSize(p.MaxResults)
	if len(out) <= n {
		return out, "", nil
	}
	out = out[:n]
	return out, store.EncodeToken(store.TokenVersions, out[n-1].Number), nil
}

// routedLocked reports whether an alias of m routes to versionARN.
func routedLocked(m *machineRec, versionARN string) bool {
	for _, a := range m.aliases {
		for _, r := range a.a.Routing {
			if r.VersionARN == versionARN {
				return true
			}
		}
	}
	return false
}

// DeleteStateMachineVersion implements [store.Versions].
func (s *Store) DeleteStateMachineVersion(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	m, v, ok := s.versionLocked(arn)
	if !ok {
		return fmt.Errorf("delete version %s: %w", arn, store.ErrNotFound)
	}
	if routedLocked(m, arn) {
		return fmt.Errorf("delete version %s: %w", arn, store.ErrVersionInUse)
	}
	delete(m.versions, v.Number)
	return nil
}

// checkRoutesLocked checks that every route names a version of m.
func (s *Store) checkRoutesLocked(m *machineRec, routes []store.Route) error {
	for _, r := range routes {
		vm, _, ok := s.versionLocked(r.VersionARN)
		if !ok || vm != m {
			return fmt.Errorf("version %s: %w", r.VersionARN, store.ErrNotFound)
		}
	}
	return nil
}

// CreateStateMachineAlias implements [store.Versions].
func (s *Store) CreateStateMachineAlias(ctx context.Context, a store.StateMachineAlias) (store.StateMachineAlias, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachineAlias{}, err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[a.StateMachineARN]
	if !ok {
		return store.StateMachineAlias{}, fmt.Errorf("create alias %s: %w", a.ARN, store.ErrNotFound)
	}
	if x, ok := m.aliases[a.ARN]; ok {
		return cloneAlias(x.a), fmt.Errorf("create alias %s: %w", a.ARN, store.ErrAlreadyExists)
	}
	if m.latest.Status == store.StatusDeleting {
		return store.StateMachineAlias{}, fmt.Errorf("create alias %s: %w", a.ARN, store.ErrStateMachineDeleting)
	}
	if err := s.checkRoutesLocked(m, a.Routing); err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("create alias %s: %w", a.ARN, err)
	}
	if len(m.aliases) >= store.MaxAliases {
		return store.StateMachineAlias{}, fmt.Errorf("create alias %s: %d aliases: %w", a.ARN, len(m.aliases), store.ErrQuotaExceeded)
	}
	a = cloneAlias(a)
	a.CreationDate = norm(a.CreationDate)
	a.UpdateDate = a.CreationDate
	m.aliases[a.ARN] = &aliasRec{seq: s.nextSeqLocked(), a: a}
	return cloneAlias(a), nil
}

func (s *Store) aliasLocked(arn string) (*machineRec, *aliasRec, bool) {
	m, ok := s.machines[qualifiedMachine(arn)]
	if !ok {
		return nil, nil, false
	}
	x, ok := m.aliases[arn]
	return m, x, ok
}

// GetStateMachineAlias implements [store.Versions].
func (s *Store) GetStateMachineAlias(ctx context.Context, arn string) (store.StateMachineAlias, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachineAlias{}, err
	}
	defer s.mu.Unlock()
	_, x, ok := s.aliasLocked(arn)
	if !ok {
		return store.StateMachineAlias{}, fmt.Errorf("get alias %s: %w", arn, store.ErrNotFound)
	}
	return cloneAlias(x.a), nil
}

// UpdateStateMachineAlias implements [store.Versions].
func (s *Store) UpdateStateMachineAlias(ctx context.Context, u store.AliasUpdate) (store.StateMachineAlias, error) {
	if err := s.lock(ctx); err != nil {
		return store.StateMachineAlias{}, err
	}
	defer s.mu.Unlock()
	m, x, ok := s.aliasLocked(u.ARN)
	if !ok {
		return store.StateMachineAlias{}, fmt.Errorf("update alias %s: %w", u.ARN, store.ErrNotFound)
	}
	if m.latest.Status == store.StatusDeleting {
		return store.StateMachineAlias{}, fmt.Errorf("update alias %s: %w", u.ARN, store.ErrStateMachineDeleting)
	}
	if u.Routing != nil {
		if err := s.checkRoutesLocked(m, u.Routing); err != nil {
			return store.StateMachineAlias{}, fmt.Errorf("update alias %s: %w", u.ARN, err)
		}
		x.a.Routing = slices.Clone(u.Routing)
	}
	if u.Description != nil {
		x.a.Description = *u.Description
	}
	x.a.UpdateDate = norm(u.UpdateDate)
	return cloneAlias(x.a), nil
}

// DeleteStateMachineAlias implements [store.Versions].
func (s *Store) DeleteStateMachineAlias(ctx context.Context, arn string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	m, _, ok := s.aliasLocked(arn)
	if !ok {
		return fmt.Errorf("delete alias %s: %w", arn, store.ErrNotFound)
	}
	delete(m.aliases, arn)
	return nil
}

// ListStateMachineAliases implements [store.Versions].
func (s *Store) ListStateMachineAliases(ctx context.Context, q store.AliasQuery) ([]store.StateMachineAlias, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenAliases, q.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.lock(ctx); err != nil {
		return nil, "", err
	}
	defer s.mu.Unlock()
	m, ok := s.machines[q.StateMachineARN]
	if !ok {
		return nil, "", fmt.Errorf("list aliases %s: %w", q.StateMachineARN, store.ErrNotFound)
	}
	recs := map[string]*aliasRec{}
	for arn, x := range m.aliases {
		if q.VersionARN == "" || slices.ContainsFunc(x.a.Routing, func(r store.Route) bool { return r.VersionARN == q.VersionARN }) {
			recs[arn] = x
		}
	}
	page, next := pageBySeq(recs, func(x *aliasRec) int64 { return x.seq }, after, q.MaxResults, store.TokenAliases)
	out := make([]store.StateMachineAlias, len(page))
	for i, x := range page {
		out[i] = cloneAlias(x.a)
	}
	return out, next, nil
}
