package sdk

import (
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// service is one AWS service of the registry.
type service struct {
	// errorName is the PascalCase service name AWS puts before an error
	// name and in a cause's "(Service: ...)": S3, Sfn.
	errorName string
	// newClient builds the service's SDK client; endpoint is the base URL
	// of a compatible server, or "" for AWS.
	newClient func(cfg aws.Config, endpoint string) any
	// clientType is the type newClient returns, whose methods are the
	// service's actions.
	clientType reflect.Type
}

// services is the registry, by the service name of aws-sdk resources.
var services = map[string]service{
	"s3": {errorName: "S3", clientType: reflect.TypeFor[*s3.Client](), newClient: func(cfg aws.Config, endpoint string) any {
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
				// S3-compatible stores (MinIO, SeaweedFS, gofakes3) are
				// reached at one host; the bucket goes in the path.
				o.UsePathStyle = true
			}
		})
	}},
	"sfn": {errorName: "Sfn", clientType: reflect.TypeFor[*sfn.Client](), newClient: func(cfg aws.Config, endpoint string) any {
		return sfn.NewFromConfig(cfg, func(o *sfn.Options) {
			if endpoint != "" {
				o.BaseEndpoint = aws.String(endpoint)
			}
		})
	}},
}

// KnownAction reports whether action (camelCase, as in the resource
// ARN: getObject) is an action of service (s3, sfn) in the registry, so
// that a definition can be checked before it runs.
func KnownAction(service, action string) bool {
	_, _, err := operation(service, action)
	return err == nil
}
