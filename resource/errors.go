package resource

// AWS's reasons to refuse a Resource in a definition, as
// ValidateStateMachineDefinition words them (diagnostic code
// INVALID_RESOURCE).
const (
	reasonEmpty    = "The resource must not be empty"
	reasonARN      = "Value is not a valid resource ARN"
	reasonFunction = "Value is not a valid Lambda function ARN"
)

// Error is returned by [Resource.Err] for a resource AWS refuses in a
// definition.
type Error struct {
	// Resource is the resource as written.
	Resource string
	// Reason is AWS's wording of what is wrong, such as "Value is not a
	// valid resource ARN".
	Reason string
}

func (e *Error) Error() string { return "resource: " + e.Reason + ": '" + e.Resource + "'" }

// Err returns an *[Error] when AWS refuses r in a definition: an empty
// resource, an ARN without a partition, service or resource part, or a
// Lambda function ARN with an empty name, a qualifier that is no version
// or alias name, or extra fields. Text that is no ARN is accepted (see
// [NotARN]); so is any well-formed ARN, which fails when the task runs if
// nothing carries it out.
func (r Resource) Err() error {
	if r.problem == "" {
		return nil
	}
	return &Error{Resource: r.Text, Reason: r.problem}
}
