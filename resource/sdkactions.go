package resource

import "slices"

// SDKActions returns the actions of an aws-sdk service Stepwise includes
// (camelCase, sorted), and false for a service it does not include. The
// list is generated from tasks/sdk's operation tables, so a definition can
// be checked against what Stepwise can call without importing the SDK.
// The slice is shared: callers must not change it.
func SDKActions(service string) ([]string, bool) {
	a, ok := sdkActions[service]
	return a, ok
}

// UnknownSDKAction reports whether r is an aws-sdk integration AWS does
// not have: one of a service AWS has no aws-sdk integration for
// (aws-sdk:nosuchservice:foo, see [IsSDKService]), or one of a service
// Stepwise includes whose action that service does not have, such as
// aws-sdk:s3:GetObject (AWS takes only the camelCase getObject) or
// aws-sdk:s3:getObjekt. An action of a real AWS service Stepwise does not
// include (aws-sdk:sagemaker:createTrainingJob) is not refused: its
// workflow may still be mocked or run elsewhere.
func (r Resource) UnknownSDKAction() bool {
	if r.Kind != Integration || !r.SDK {
		return false
	}
	if !IsSDKService(r.Service) {
		return true
	}
	actions, ok := sdkActions[r.Service]
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(actions, r.Action)
	return !found
}
