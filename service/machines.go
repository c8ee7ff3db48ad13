package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"stepwise/asl"
	"stepwise/runtime"
	"stepwise/store"
)

// CreateStateMachineInput is what CreateStateMachine takes.
type CreateStateMachineInput struct {
	Name                 string
	Definition           string
	RoleARN              string
	Type                 store.StateMachineType // default STANDARD
	LoggingConfiguration string                 // JSON text
	TracingConfiguration string                 // JSON text
	// EncryptionConfiguration is JSON text (see checkEncryption).
	EncryptionConfiguration string
	Tags                    []store.Tag
	// Publish publishes the new machine's first revision as version 1,
	// described by VersionDescription (allowed only with Publish).
	Publish            bool
	VersionDescription *string
}

// CreateStateMachine validates and stores a new state machine. Creating one
// again with the same name and configuration returns it unchanged, as AWS
// does; a different configuration gives StateMachineAlreadyExists. With
// Publish, the returned machine's VersionARN is the version of its
// revision (the one published, or found when the create was a repeat).
func (s *Service) CreateStateMachine(ctx context.Context, in CreateStateMachineInput) (store.StateMachine, error) {
	if err := checkName("state machine", in.Name); err != nil {
		return store.StateMachine{}, err
	}
	if err := checkPublish(in.Publish, in.VersionDescription); err != nil {
		return store.StateMachine{}, err
	}
	if err := checkEncryption(in.EncryptionConfiguration); err != nil {
		return store.StateMachine{}, err
	}
	if in.Type == "" {
		in.Type = store.TypeStandard
	}
	if in.Type != store.TypeStandard && in.Type != store.TypeExpress {
		return store.StateMachine{}, errorf(CodeValidation, "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", in.Type)
	}
	if err := checkRole(in.RoleARN); err != nil {
		return store.StateMachine{}, err
	}
	if err := checkDefinition(in.Definition); err != nil {
		return store.StateMachine{}, err
	}
	now := s.now()
	sm := store.StateMachine{
		ARN: s.arns().stateMachine(in.Name), Name: in.Name, Type: in.Type, Status: store.StatusActive,
		Definition: in.Definition, RoleARN: in.RoleARN, LoggingConfiguration: in.LoggingConfiguration,
		TracingConfiguration: in.TracingConfiguration, EncryptionConfiguration: in.EncryptionConfiguration,
		RevisionID: runtime.NewUUID(), CreationDate: now, UpdateDate: now,
	}
	got, err := s.store.CreateStateMachine(ctx, sm, in.Tags)
	if errors.Is(err, store.ErrAlreadyExists) {
		if got.Definition != sm.Definition || got.RoleARN != sm.RoleARN || got.Type != sm.Type ||
			got.EncryptionConfiguration != sm.EncryptionConfiguration {
			return store.StateMachine{}, errorf(CodeStateMachineAlreadyExist, "State Machine Already Exists: '%s'", sm.ARN)
		}
		err = nil
	}
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("create state machine %s: %w", sm.ARN, err)
	}
	if in.Publish {
		// The publish names the created revision: an update that came
		// between (only possible on a repeat) gives ConflictException
		// rather than a version of a revision this call did not make.
		v, err := s.store.PublishStateMachineVersion(ctx, store.VersionPublish{StateMachineARN: got.ARN, RevisionID: got.RevisionID,
			Description: deref(in.VersionDescription), CreationDate: now})
		if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
			return store.StateMachine{}, s.publishError(got.ARN, got.RevisionID, err)
		}
		got.VersionARN = v.ARN
	}
	return got, nil
}

// checkPublish checks that a versionDescription comes with publish, as
// AWS requires.
func checkPublish(publish bool, description *string) error {
	if description != nil && !publish {
		return errorf(CodeValidation, "Version description can only be set when publish is true")
	}
	return checkDescription("versionDescription", description)
}

func checkRole(arn string) error {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return nil
}

// checkDefinition returns InvalidDefinition with AWS's message shape for a
// definition with errors.
func checkDefinition(def string) error {
	if _, err := asl.Parse([]byte(def)); err != nil {
		return &Error{Code: CodeInvalidDefinition, Message: err.Error()}
	}
	return nil
}

// ValidateDefinition returns the diagnostics of a definition, as
// ValidateStateMachineDefinition does.
func (s *Service) ValidateDefinition(def string) asl.Diagnostics {
	return asl.Validate([]byte(def))
}

// DescribeStateMachine returns the latest revision of a state machine, or
// for a version ARN the version's revision with the version's ARN and
// description.
func (s *Service) DescribeStateMachine(ctx context.Context, arn string) (store.StateMachine, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return store.StateMachine{}, err
	}
	if q.alias != "" {
		return store.StateMachine{}, errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s' (describe an alias with DescribeStateMachineAlias)", arn)
	}
	if q.version != 0 {
		sm, v, err := s.describeVersion(ctx, arn)
		if err != nil {
			return sm, err
		}
		sm.ARN, sm.Description = v.ARN, v.Description
		return sm, nil
	}
	sm, err := s.store.GetStateMachine(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return sm, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	}
	return sm, err
}

// UpdateStateMachineInput is what UpdateStateMachine takes; nil fields are
// left unchanged.
type UpdateStateMachineInput struct {
	ARN                     string
	Definition              *string
	RoleARN                 *string
	LoggingConfiguration    *string
	TracingConfiguration    *string
	EncryptionConfiguration *string
	// Publish publishes the new revision as a version in the update's own
	// transaction; VersionDescription describes it.
	Publish            bool
	VersionDescription *string
}

// UpdateStateMachine makes a new revision. Running executions keep the
// revision they started with. With Publish, the returned machine's
// VersionARN is the new version.
func (s *Service) UpdateStateMachine(ctx context.Context, in UpdateStateMachineInput) (store.StateMachine, error) {
	if _, err := unqualified(in.ARN); err != nil {
		return store.StateMachine{}, err
	}
	if _, err := s.DescribeStateMachine(ctx, in.ARN); err != nil {
		return store.StateMachine{}, err
	}
	if in.Definition == nil && in.RoleARN == nil && in.LoggingConfiguration == nil && in.TracingConfiguration == nil && in.EncryptionConfiguration == nil {
		return store.StateMachine{}, errorf(CodeValidation, "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified")
	}
	if err := checkPublish(in.Publish, in.VersionDescription); err != nil {
		return store.StateMachine{}, err
	}
	if in.EncryptionConfiguration != nil {
		if err := checkEncryption(*in.EncryptionConfiguration); err != nil {
			return store.StateMachine{}, err
		}
	}
	if in.Definition != nil {
		if err := checkDefinition(*in.Definition); err != nil {
			return store.StateMachine{}, err
		}
	}
	if in.RoleARN != nil {
		if err := checkRole(*in.RoleARN); err != nil {
			return store.StateMachine{}, err
		}
	}
	u := store.StateMachineUpdate{
		ARN: in.ARN, RevisionID: runtime.NewUUID(), UpdateDate: s.now(), Definition: in.Definition, RoleARN: in.RoleARN,
		LoggingConfiguration: in.LoggingConfiguration, TracingConfiguration: in.TracingConfiguration,
		EncryptionConfiguration: in.EncryptionConfiguration,
	}
	if in.Publish {
		u.Publish = &store.VersionPublish{Description: deref(in.VersionDescription)}
	}
	sm, err := s.store.UpdateStateMachine(ctx, u)
	if errors.Is(err, store.ErrNotFound) {
		return sm, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", in.ARN)
	}
	if err != nil && in.Publish {
		return sm, s.publishError(in.ARN, "", err)
	}
	return sm, err
}

// DeleteStateMachine deletes a state machine, as AWS documents it: while
// executions of it run it is DELETING (DescribeStateMachine shows it, new
// executions are refused with StateMachineDeleting), and it is deleted
// when the last of them ends; with none running it is deleted at once.
// The store decides which in one transaction, so a racing StartExecution
// either runs to its end on the machine or is refused. Deleting an
// unknown state machine succeeds, as on AWS. Its versions and aliases go
// with it.
func (s *Service) DeleteStateMachine(ctx context.Context, arn string) error {
	if _, err := unqualified(arn); err != nil {
		return err
	}
	if err := s.store.DeleteStateMachine(ctx, arn); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete state machine %s: %w", arn, err)
	}
	return nil
}

// ListStateMachines lists state machines in creation order.
func (s *Service) ListStateMachines(ctx context.Context, p store.Page) ([]store.StateMachine, string, error) {
	out, next, err := s.store.ListStateMachines(ctx, p)
	if errors.Is(err, store.ErrInvalidToken) {
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
	}
	return out, next, err
}
