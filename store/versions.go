package store

import (
	"context"
	"errors"
	"time"
)

// Limits AWS states for versions and aliases, enforced by the stores in
// the transaction that would pass them.
const (
	// MaxVersions is how many versions one state machine may have.
	MaxVersions = 1000
	// MaxAliases is how many aliases one state machine may have.
	MaxAliases = 100
)

// InitialRevision is the revision id a publish may name to mean the
// machine's first revision (AWS's "INITIAL"): it matches while the
// machine has never been updated.
const InitialRevision = "INITIAL"

// ErrQuotaExceeded is returned by [Versions.PublishStateMachineVersion]
// when the machine has [MaxVersions] versions, and by
// [Versions.CreateStateMachineAlias] when it has [MaxAliases] aliases.
// Nothing was written.
var ErrQuotaExceeded = errors.New("store: quota exceeded")

// ErrVersionInUse is returned by [Versions.DeleteStateMachineVersion]
// when an alias routes executions to the version. Nothing was written.
var ErrVersionInUse = errors.New("store: version is routed to by an alias")

// StateMachineVersion is a published version: a numbered, immutable
// pointer to one revision of a state machine.
type StateMachineVersion struct {
	// ARN is the machine's ARN, a colon and Number.
	ARN             string
	StateMachineARN string
	// Number counts up from 1 per machine; a deleted version's number is
	// never given again.
	Number       int64
	RevisionID   string
	Description  string
	CreationDate time.Time
}

// VersionPublish asks for a version of a state machine's latest revision.
type VersionPublish struct {
	StateMachineARN string
	// RevisionID, when set, must be the latest revision's id (or
	// [InitialRevision] while there was no update), else the publish
	// returns ErrConflict.
	RevisionID   string
	Description  string
	CreationDate time.Time
}

// Route is one entry of an alias's routing configuration: the percentage
// of the alias's executions that run a version.
type Route struct {
	VersionARN string
	Weight     int
}

// StateMachineAlias is a named pointer to one or two versions of one
// state machine, with the weight of each.
type StateMachineAlias struct {
	// ARN is the machine's ARN, a colon and Name.
	ARN             string
	StateMachineARN string
	Name            string
	Description     string
	Routing         []Route
	CreationDate    time.Time
	// UpdateDate equals CreationDate until the alias is updated.
	UpdateDate time.Time
}

// AliasUpdate changes an alias; nil fields are left as they are.
type AliasUpdate struct {
	ARN         string
	Description *string
	Routing     []Route
	UpdateDate  time.Time
}

// AliasQuery selects the aliases of a state machine, in creation order.
type AliasQuery struct {
	StateMachineARN string
	// VersionARN, when set, keeps only the aliases that route to it.
	VersionARN string
	Page
}

// Versions stores state machine versions and aliases. Deleting a state
// machine deletes them with it.
type Versions interface {
	// PublishStateMachineVersion makes a version of p.StateMachineARN's
	// latest revision, numbered one past the last number the machine gave,
	// and returns it. If a version of that revision exists it returns it
	// with ErrAlreadyExists and makes none. It returns ErrNotFound for an
	// unknown machine, ErrStateMachineDeleting for a DELETING one,
	// ErrConflict when p.RevisionID is set and not the latest, and
	// ErrQuotaExceeded past [MaxVersions]. Checks and insert are one
	// transaction, so concurrent publishes get distinct numbers and one
	// version per revision.
	PublishStateMachineVersion(ctx context.Context, p VersionPublish) (StateMachineVersion, error)
	// GetStateMachineVersion returns a version, or ErrNotFound.
	GetStateMachineVersion(ctx context.Context, arn string) (StateMachineVersion, error)
	// ListStateMachineVersions lists a machine's versions, newest (highest
	// number) first. It returns the next page's token, empty after the
	// last page; ErrNotFound for an unknown machine; ErrInvalidToken.
	ListStateMachineVersions(ctx context.Context, machineARN string, p Page) ([]StateMachineVersion, string, error)
	// DeleteStateMachineVersion deletes a version, or returns ErrNotFound;
	// ErrVersionInUse while an alias routes to it, checked in the same
	// transaction as the delete. Executions of it are kept.
	DeleteStateMachineVersion(ctx context.Context, arn string) error
	// CreateStateMachineAlias stores a new alias of a.StateMachineARN and
	// returns it. Every route's version must exist and belong to the
	// machine, else ErrNotFound (as for an unknown machine);
	// ErrStateMachineDeleting for a DELETING machine; ErrQuotaExceeded past
	// [MaxAliases]. If the ARN is taken it returns the existing alias and
	// ErrAlreadyExists. Checks and insert are one transaction.
	CreateStateMachineAlias(ctx context.Context, a StateMachineAlias) (StateMachineAlias, error)
	// GetStateMachineAlias returns an alias, or ErrNotFound.
	GetStateMachineAlias(ctx context.Context, arn string) (StateMachineAlias, error)
	// UpdateStateMachineAlias applies u and returns the alias: ErrNotFound
	// for an unknown alias or a route to a version that does not exist or
	// belongs to another machine; ErrStateMachineDeleting for a DELETING
	// machine. Checks and update are one transaction.
	UpdateStateMachineAlias(ctx context.Context, u AliasUpdate) (StateMachineAlias, error)
	// DeleteStateMachineAlias deletes an alias, or returns ErrNotFound.
	DeleteStateMachineAlias(ctx context.Context, arn string) error
	// ListStateMachineAliases lists aliases in creation order. It returns
	// the next page's token, empty after the last page; ErrNotFound for an
	// unknown machine; ErrInvalidToken.
	ListStateMachineAliases(ctx context.Context, q AliasQuery) ([]StateMachineAlias, string, error)
}
