package service

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepwise/store"
)

// maxVersionDescription is AWS's limit on a version's (and an alias's)
// description, in characters.
const maxVersionDescription = 256

// qualifiedARN is a state machine ARN taken apart: the unqualified machine
// ARN, and the version number or alias name after it, if any.
type qualifiedARN struct {
	machine string
	// version is the number of a version ARN (MACHINE:N), 0 otherwise;
	// alias the name of an alias ARN (MACHINE:NAME).
	version int64
	alias   string
}

func (q qualifiedARN) qualified() bool { return q.version != 0 || q.alias != "" }

// parseMachineARN reads an unqualified, version or alias state machine
// ARN, or returns InvalidArn.
func parseMachineARN(arn string) (qualifiedARN, error) {
	rest, err := parseARN(arn, "stateMachine")
	if err != nil {
		return qualifiedARN{}, err
	}
	name, qualifier, ok := strings.Cut(rest, ":")
	if !ok {
		return qualifiedARN{machine: arn}, nil
	}
	if name == "" || qualifier == "" || strings.Contains(qualifier, ":") {
		return qualifiedARN{}, errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	q := qualifiedARN{machine: arn[:len(arn)-len(qualifier)-1]}
	if isDigits(qualifier) {
		n, err := strconv.ParseInt(qualifier, 10, 64)
		if err != nil || n <= 0 || qualifier[0] == '0' {
			return qualifiedARN{}, errorf(CodeInvalidArn, "Invalid Arn: 'Invalid version number in ARN: %s'", arn)
		}
		q.version = n
		return q, nil
	}
	q.alias = qualifier
	return q, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// unqualified returns the ARN when it names a state machine without a
// version or alias, and ValidationException otherwise: the actions that
// change a machine take only its own ARN.
func unqualified(arn string) (string, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return "", err
	}
	if q.qualified() {
		return "", errorf(CodeValidation, "Invalid Arn: 'Qualified state machine ARNs are not allowed here: %s'", arn)
	}
	return arn, nil
}

func checkDescription(field string, d *string) error {
	if d != nil && utf8.RuneCountInString(*d) > maxVersionDescription {
		return errorf(CodeValidation, "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, maxVersionDescription)
	}
	return nil
}

// PublishVersionInput is what PublishStateMachineVersion takes.
type PublishVersionInput struct {
	StateMachineARN string
	// RevisionID, when set, must be the latest revision's id (or
	// "INITIAL" before any update).
	RevisionID  *string
	Description *string
}

// PublishStateMachineVersion publishes the latest revision of a state
// machine as a version. Publishing a revision that has a version returns
// that version, as AWS does; a RevisionID that is not the latest gives
// ConflictException, and a machine's 1001st version
// ServiceQuotaExceededException.
func (s *Service) PublishStateMachineVersion(ctx context.Context, in PublishVersionInput) (store.StateMachineVersion, error) {
	if _, err := unqualified(in.StateMachineARN); err != nil {
		return store.StateMachineVersion{}, err
	}
	if err := checkDescription("description", in.Description); err != nil {
		return store.StateMachineVersion{}, err
	}
	if in.RevisionID != nil && (*in.RevisionID == "" || len(*in.RevisionID) > 2048) {
		return store.StateMachineVersion{}, errorf(CodeValidation, "1 validation error detected: Value at 'revisionId' failed to satisfy constraint: Member must have length between 1 and 2048")
	}
	p := store.VersionPublish{StateMachineARN: in.StateMachineARN, RevisionID: deref(in.RevisionID), Description: deref(in.Description), CreationDate: s.now()}
	v, err := s.store.PublishStateMachineVersion(ctx, p)
	if errors.Is(err, store.ErrAlreadyExists) {
		return v, nil
	}
	return v, s.publishError(in.StateMachineARN, p.RevisionID, err)
}

// publishError is AWS's answer for a refused publish, or err.
func (s *Service) publishError(arn, revisionID string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	case errors.Is(err, store.ErrStateMachineDeleting):
		return deletingError(arn)
	case errors.Is(err, store.ErrConflict):
		return errorf(CodeConflict, "Failed to publish the State Machine version: the revisionId '%s' is not the current revision of '%s'", revisionID, arn)
	case errors.Is(err, store.ErrQuotaExceeded):
		return errorf(CodeServiceQuotaExceeded, "The maximum number of versions (%d) of the state machine '%s' is reached: delete unused versions with DeleteStateMachineVersion", store.MaxVersions, arn)
	}
	return fmt.Errorf("publish %s: %w", arn, err)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ListStateMachineVersions lists a state machine's versions, newest first.
func (s *Service) ListStateMachineVersions(ctx context.Context, arn string, p store.Page) ([]store.StateMachineVersion, string, error) {
	if _, err := unqualified(arn); err != nil {
		return nil, "", err
	}
	out, next, err := s.store.ListStateMachineVersions(ctx, arn, p)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, "", errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	case errors.Is(err, store.ErrInvalidToken):
		return nil, "", errorf(CodeInvalidToken, "Invalid Token: '%s'", p.NextToken)
	}
	return out, next, err
}

// versionARN checks that arn is a version ARN.
func versionARN(arn string) (qualifiedARN, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return q, err
	}
	if q.version == 0 {
		return q, errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return q, nil
}

// DeleteStateMachineVersion deletes a version. It is refused with
// ConflictException while an alias routes to the version (checked in the
// delete's own transaction); deleting an unknown version succeeds, as on
// AWS. Executions of the version run on.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, arn string) error {
	if _, err := versionARN(arn); err != nil {
		return err
	}
	err := s.store.DeleteStateMachineVersion(ctx, arn)
	switch {
	case err == nil, errors.Is(err, store.ErrNotFound):
		return nil
	case errors.Is(err, store.ErrVersionInUse):
		return errorf(CodeConflict, "Version to be deleted must not be referenced by an alias: '%s'", arn)
	}
	return fmt.Errorf("delete version %s: %w", arn, err)
}

// describeVersion returns the revision a version points to, as
// DescribeStateMachine shows a version: the version's ARN and
// description.
func (s *Service) describeVersion(ctx context.Context, arn string) (store.StateMachine, store.StateMachineVersion, error) {
	v, err := s.store.GetStateMachineVersion(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return store.StateMachine{}, v, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return store.StateMachine{}, v, fmt.Errorf("describe version %s: %w", arn, err)
	}
	sm, err := s.store.GetStateMachineRevision(ctx, v.StateMachineARN, v.RevisionID)
	if errors.Is(err, store.ErrNotFound) {
		// The machine was deleted since: its versions went with it.
		return store.StateMachine{}, v, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
	}
	if err != nil {
		return store.StateMachine{}, v, fmt.Errorf("describe version %s: %w", arn, err)
	}
	return sm, v, nil
}

// startTarget resolves the state machine ARN of a start: the latest
// revision of an unqualified ARN, a version's revision, or for an alias
// the revision of the version it picks by weight. The version and alias
// go into opts. The returned machine has the unqualified ARN.
func (s *Service) startTarget(ctx context.Context, arn string, opts *startOptions) (store.StateMachine, error) {
	q, err := parseMachineARN(arn)
	if err != nil {
		return store.StateMachine{}, err
	}
	if !q.qualified() {
		if strings.Contains(arn[strings.LastIndexByte(arn, ':')+1:], "/") {
			// A Distributed Map's ARN (MACHINE/LABEL), as AWS refuses it.
			return store.StateMachine{}, errorf(CodeValidation, "Executions cannot be started on a Distributed Map state: '%s'", arn)
		}
		return s.DescribeStateMachine(ctx, arn)
	}
	versionARN := arn
	if q.alias != "" {
		a, err := s.store.GetStateMachineAlias(ctx, arn)
		if errors.Is(err, store.ErrNotFound) {
			return store.StateMachine{}, errorf(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
		}
		if err != nil {
			return store.StateMachine{}, fmt.Errorf("start on alias %s: %w", arn, err)
		}
		if versionARN, err = pickRoute(a.Routing); err != nil {
			return store.StateMachine{}, fmt.Errorf("start on alias %s: %w", arn, err)
		}
		opts.aliasARN = arn
	}
	sm, _, err := s.describeVersion(ctx, versionARN)
	if err != nil {
		return store.StateMachine{}, err
	}
	opts.versionARN = versionARN
	return sm, nil
}

// pickRoute picks a route's version with the probability of its weight
// (a percentage), from crypto/rand: the choice is the only randomness of
// a start, and no seed is shared with anything else.
func pickRoute(routes []store.Route) (string, error) {
	total := 0
	for _, r := range routes {
		total += r.Weight
	}
	if total <= 0 {
		return "", errors.New("the routing configuration has no weight")
	}
	n, err := rand.Int(rand.Reader, big.NewInt(int64(total)))
	if err != nil {
		return "", fmt.Errorf("pick a version: %w", err)
	}
	x := int(n.Int64())
	for _, r := range routes {
		if x < r.Weight {
			return r.VersionARN, nil
		}
		x -= r.Weight
	}
	return routes[len(routes)-1].VersionARN, nil
}

// Encryption types of an encryptionConfiguration, as AWS names them.
const (
	encryptionAWSOwned        = "AWS_OWNED_KEY"
	encryptionCustomerManaged = "CUSTOMER_MANAGED_KMS_KEY"
)

// checkEncryption checks an encryptionConfiguration (JSON text; empty for
// none) against AWS's rules. Stepwise keeps and returns the
// configuration but encrypts nothing with KMS: AWS_OWNED_KEY (AWS's
// default, with no key to manage) is accepted, and
// CUSTOMER_MANAGED_KMS_KEY is refused, so that no caller believes its
// data is under its own key.
func checkEncryption(text string) error {
	if text == "" {
		return nil
	}
	var c struct {
		Type                         *string `json:"type"`
		KmsKeyID                     *string `json:"kmsKeyId"`
		KmsDataKeyReusePeriodSeconds *int64  `json:"kmsDataKeyReusePeriodSeconds"`
	}
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return errorf(CodeValidation, "Invalid encryptionConfiguration: %v", err)
	}
	if c.Type == nil {
		return errorf(CodeValidation, "1 validation error detected: Value null at 'encryptionConfiguration.type' failed to satisfy constraint: Member must not be null")
	}
	if *c.Type != encryptionAWSOwned && *c.Type != encryptionCustomerManaged {
		return errorf(CodeValidation, "1 validation error detected: Value '%s' at 'encryptionConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [AWS_OWNED_KEY, CUSTOMER_MANAGED_KMS_KEY]", *c.Type)
	}
	if p := c.KmsDataKeyReusePeriodSeconds; p != nil && (*p < 60 || *p > 900) {
		return errorf(CodeValidation, "1 validation error detected: Value '%d' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' failed to satisfy constraint: Member must have value between 60 and 900", *p)
	}
	if k := c.KmsKeyID; k != nil && (*k == "" || len(*k) > 2048) {
		return errorf(CodeValidation, "1 validation error detected: Value at 'encryptionConfiguration.kmsKeyId' failed to satisfy constraint: Member must have length between 1 and 2048")
	}
	if *c.Type == encryptionCustomerManaged {
		if c.KmsKeyID == nil {
			return errorf(CodeInvalidEncryption, "kmsKeyId must be specified when type is CUSTOMER_MANAGED_KMS_KEY")
		}
		return errorf(CodeInvalidEncryption, "Stepwise does not encrypt with AWS KMS keys: CUSTOMER_MANAGED_KMS_KEY is not supported (use AWS_OWNED_KEY or leave encryptionConfiguration out)")
	}
	if c.KmsKeyID != nil || c.KmsDataKeyReusePeriodSeconds != nil {
		return errorf(CodeInvalidEncryption, "kmsKeyId and kmsDataKeyReusePeriodSeconds apply only to type CUSTOMER_MANAGED_KMS_KEY")
	}
	return nil
}
