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
	Tags                 []store.Tag
}

// CreateStateMachine validates and stores a new state machine. Creating one
// again with the same name and configuration returns it unchanged, as AWS
// does; a different configuration gives StateMachineAlreadyExists.
func (s *Service) CreateStateMachine(ctx context.Context, in CreateStateMachineInput) (store.StateMachine, error) {
	if err := checkName("state machine", in.Name); err != nil {
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
		TracingConfiguration: in.TracingConfiguration, RevisionID: runtime.NewUUID(), CreationDate: now, UpdateDate: now,
	}
	got, err := s.store.CreateStateMachine(ctx, sm, in.Tags)
	if errors.Is(err, store.ErrAlreadyExists) {
		if got.Definition == sm.Definition && got.RoleARN == sm.RoleARN && got.Type == sm.Type {
			return got, nil
		}
		return store.StateMachine{}, errorf(CodeStateMachineAlreadyExist, "State Machine Already Exists: '%s'", sm.ARN)
	}
	if err != nil {
		return store.StateMachine{}, fmt.Errorf("create state machine %s: %w", sm.ARN, err)
	}
	return got, nil
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

// DescribeStateMachine returns the latest revision of a state machine.
func (s *Service) DescribeStateMachine(ctx context.Context, arn string) (store.StateMachine, error) {
	if _, err := parseARN(arn, "stateMachine"); err != nil {
		return store.StateMachine{}, err
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
	ARN                  string
	Definition           *string
	RoleARN              *string
	LoggingConfiguration *string
	TracingConfiguration *string
}

// UpdateStateMachine makes a new revision. Running executions keep the
// revision they started with.
func (s *Service) UpdateStateMachine(ctx context.Context, in UpdateStateMachineInput) (store.StateMachine, error) {
	if _, err := s.DescribeStateMachine(ctx, in.ARN); err != nil {
		return store.StateMachine{}, err
	}
	if in.Definition == nil && in.RoleARN == nil && in.LoggingConfiguration == nil && in.TracingConfiguration == nil {
		return store.StateMachine{}, errorf(CodeValidation, "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
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
	sm, err := s.store.UpdateStateMachine(ctx, store.StateMachineUpdate{
		ARN: in.ARN, RevisionID: runtime.NewUUID(), UpdateDate: s.now(), Definition: in.Definition, RoleARN: in.RoleARN,
		LoggingConfiguration: in.LoggingConfiguration, TracingConfiguration: in.TracingConfiguration,
	})
	if errors.Is(err, store.ErrNotFound) {
		return sm, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", in.ARN)
	}
	return sm, err
}

// DeleteStateMachine deletes a state machine, as AWS documents it: while
// executions of it run it is DELETING (DescribeStateMachine shows it, new
// executions are refused with StateMachineDeleting), and it is deleted
// when the last of them ends; with none running it is deleted at once.
// The store decides which in one transaction, so a racing StartExecution
// either runs to its end on the machine or is refused. Deleting an
// unknown state machine succeeds, as on AWS.
func (s *Service) DeleteStateMachine(ctx context.Context, arn string) error {
	if _, err := parseARN(arn, "stateMachine"); err != nil {
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
