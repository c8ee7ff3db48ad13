package sdk

import (
	"maps"
	"slices"
)

// Services returns the names of the registry's services (s3, sfn, kms,
// ...), sorted: the keys [Config.Endpoints] reads, so that a command line
// can refuse a name no client would use.
func Services() []string { return slices.Sorted(maps.Keys(services)) }
