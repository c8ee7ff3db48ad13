package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"stepwise/store"
)

// aliasNamePattern is AWS's pattern for alias names: letters, digits, _,
// - and ., with at least one that is not a digit (so that an alias ARN is
// never read as a version ARN).
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

func checkAliasName(name string) error {
	if n := utf8.RuneCountInString(name); n < 1 || n > 80 {
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must have length between 1 and 80", name)
	}
	digits := true
	for _, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
		if !ok {
			digits = true // reported below as the pattern
			break
		}
		if c < '0' || c > '9' {
			digits = false
		}
	}
	if digits {
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", name, aliasNamePattern)
	}
	return nil
}

// checkRouting checks a routing configuration as AWS does: one or two
// distinct versions of one state machine, weights 0 to 100 summing to
// 100. It returns the machine's ARN.
func checkRouting(routes []store.Route) (string, error) {
	if len(routes) < 1 || len(routes) > 2 {
		return "", errorf(CodeValidation, "1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length between 1 and 2")
	}
	machine, sum := "", 0
	for i, r := range routes {
		q, err := versionARN(r.VersionARN)
		if err != nil {
			return "", err
		}
		if i == 0 {
			machine = q.machine
		} else if q.machine != machine {
			return "", errorf(CodeValidation, "Routing configuration must contain versions of the same state machine: '%s' and '%s'", routes[0].VersionARN, r.VersionARN)
		}
		if r.Weight < 0 || r.Weight > 100 {
			return "", errorf(CodeValidation, "1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value between 0 and 100", r.Weight, i+1)
		}
		sum += r.Weight
	}
	if len(routes) == 2 && routes[0].VersionARN == routes[1].VersionARN {
		return "", errorf(CodeValidation, "Routing configuration must contain distinct state machine version ARNs: '%s'", routes[0].VersionARN)
	}
	if sum != 100 {
		return "", errorf(CodeValidation, "Sum of routing configuration weights must be equal to 100, got %d", sum)
	}
	return machine, nil
}

// aliasARN checks that arn is an alias ARN.
func aliasARN(arn string) (qualifiedARN, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return q, err
	}
	if q.alias == "" {
		return q, errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return q, nil
}

// CreateAliasInput is what CreateStateMachineAlias takes.
type CreateAliasInput struct {
	Name        string
	Description *string
	Routing     []store.Route
}

// CreateStateMachineAlias creates an alias of the state machine whose
// versions its routing names. Creating it again with the same
// description and routing returns it, as AWS does; a different one gives
// ConflictException.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in CreateAliasInput) (store.StateMachineAlias, error) {
	if err := checkAliasName(in.Name); err != nil {
		return store.StateMachineAlias{}, err
	}
	if err := checkDescription("description", in.Description); err != nil {
		return store.StateMachineAlias{}, err
	}
	machine, err := checkRouting(in.Routing)
	if err != nil {
		return store.StateMachineAlias{}, err
	}
	now := s.now()
	a := store.StateMachineAlias{ARN: machine + ":" + in.Name, StateMachineARN: machine, Name: in.Name, Description: deref(in.Description),
		Routing: in.Routing, CreationDate: now, UpdateDate: now}
	got, err := s.store.CreateStateMachineAlias(ctx, a)
	if errors.Is(err, store.ErrAlreadyExists) {
		if got.Description == a.Description && sameRouting(got.Routing, a.Routing) {
			return got, nil
		}
		return store.StateMachineAlias{}, errorf(CodeConflict, "Failed to create alias because an alias with the same name and a different routing configuration already exists: '%s'", a.ARN)
	}
	if err != nil {
		return store.StateMachineAlias{}, s.aliasError(a.ARN, machine, err)
	}
	return got, nil
}

// sameRouting compares routing configurations as sets of (version,
// weight).
func sameRouting(a, b []store.Route) bool {
	key := func(r store.Route) string { return r.VersionARN + "\x00" + strconv.Itoa(r.Weight) }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, r := range a {
		ka[i] = key(r)
	}
	for i, r := range b {
		kb[i] = key(r)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

// aliasError is AWS's answer for a refused alias write, or err.
func (s *Service) aliasError(arn, machine string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errorf(CodeResourceNotFound, "Resource not found: '%s' (the alias, or a version its routing names)", arn)
	case errors.Is(err, store.ErrStateMachineDeleting):
		return deletingError(machine)
	case errors.Is(err, store.ErrQuotaExceeded):
		return errorf(CodeServiceQuotaExceeded, "The maximum number of aliases (%d) of the state machine '%s' is reached: delete unused aliases with DeleteStateMachineAlias", store.MaxAliases, machine)
	}
	return fmt.Errorf("alias %s: %w", arn, err)
}

// DescribeStateMachineAlias returns an alias.
func (s *Service) DescribeStateMachineAlias(ctx context.Context, arn string) (store.StateMachineAlias, error) {
	if _, err := aliasARN(arn); err != nil {
		return store.StateMachineAlias{}, err
	}
	a, err := s.store.GetStateMachineAlias(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return a, errorf(CodeResourceNotFound, "Resource not found: '%s'", arn)
	}
	return a, err
}

// UpdateAliasInput is what UpdateStateMachineAlias takes; nil fields are
// left unchanged.
type UpdateAliasInput struct {
	ARN         string
	Description *string
	Routing     []store.Route
}

// UpdateStateMachineAlias changes an alias's description or routing.
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in UpdateAliasInput) (store.StateMachineAlias, error) {
	q, err := aliasARN(in.ARN)
	if err != nil {
		return store.StateMachineAlias{}, err
	}
	if in.Description == nil && in.Routing == nil {
		return store.StateMachineAlias{}, errorf(CodeValidation, "Either the description or the routingConfiguration must be specified")
	}
	if err := checkDescription("description", in.Description); err != nil {
		return store.StateMachineAlias{}, err
	}
	if in.Routing != nil {
		machine, err := checkRouting(in.Routing)
		if err != nil {
			return store.StateMachineAlias{}, err
		}
		if machine != q.machine {
			return store.StateMachineAlias{}, errorf(CodeValidation, "Routing configuration must contain versions of the alias's state machine '%s'", q.machine)
		}
	}
	a, err := s.store.UpdateStateMachineAlias(ctx, store.AliasUpdate{ARN: in.ARN, Description: in.Description, Routing: in.Routing, UpdateDate: s.now()})
	if err != nil {
		return a, s.aliasError(in.ARN, q.machine, err)
	}
	return a, nil
}

// DeleteStateMachineAlias deletes an alias; executions started through it
// run on.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, arn string) error {
	if _, err := aliasARN(arn); err != nil {
		return err
	}
	err := s.store.DeleteStateMachineAlias(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(CodeResourceNotFound, "Resource not found: '%s'", arn)
	}
	return err
}

// ListStateMachineAliases lists the aliases of a state machine in
// creation order, or of a version (those that route to it).
func (s *Service) ListStateMachineAliases(ctx context.Context, arn string, p store.Page) ([]store.StateMachineAlias, string, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return nil, "", err
	}
	if q.alias != "" {
		return nil, "", errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	query := store.AliasQuery{StateMachineARN: q.machine, Page: p}
	if q.version != 0 {
		if _, err := s.store.GetStateMachineVersion(ctx, arn); errors.Is(err, store.ErrNotFound) {
			return nil, "", errorf(CodeResourceNotFound, "Resource not found: '%s'", arn)
		} else if err != nil {
			return nil, "", err
		}
		query.VersionARN = arn
	}
	out, next, err := s.store.ListStateMachineAliases(ctx, query)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "", errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", q.machine)
	case errors.Is(err, store.ErrInvalidToken):
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
	}
	return out, next, err
}
