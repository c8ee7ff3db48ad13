package resultmodel

import (
	"fmt"

	"stepwise/jsonval"
	"stepwise/resource"
)

// shape is the part of an API model that a mock is checked against.
type shape struct {
	kind     string // structure, list, map, string, integer, double, boolean, timestamp, blob, document
	members  map[string]*shape
	required []string
	elem     *shape // list element or map value
}

func structure(required []string, members map[string]*shape) *shape {
	return &shape{kind: "structure", members: members, required: required}
}

func listOf(e *shape) *shape { return &shape{kind: "list", elem: e} }
func mapOf(e *shape) *shape  { return &shape{kind: "map", elem: e} }

var (
	str       = &shape{kind: "string"}
	integer   = &shape{kind: "integer"}
	double    = &shape{kind: "double"}
	boolean   = &shape{kind: "boolean"}
	timestamp = &shape{kind: "timestamp"}
	blob      = &shape{kind: "blob"}
	document  = &shape{kind: "document"}
)

// attributeValue is DynamoDB's AttributeValue; M and L refer back to it.
var attributeValue = func() *shape {
	av := structure(nil, map[string]*shape{
		"S": str, "N": str, "B": blob, "SS": listOf(str), "NS": listOf(str), "BS": listOf(blob),
		"NULL": boolean, "BOOL": boolean,
	})
	av.members["M"] = mapOf(av)
	av.members["L"] = listOf(av)
	return av
}()

var consumedCapacity = structure(nil, map[string]*shape{
	"TableName": str, "CapacityUnits": double, "ReadCapacityUnits": double, "WriteCapacityUnits": double,
	"Table": document, "LocalSecondaryIndexes": document, "GlobalSecondaryIndexes": document,
})

var itemCollectionMetrics = structure(nil, map[string]*shape{
	"ItemCollectionKey": mapOf(attributeValue), "SizeEstimateRangeGB": listOf(double),
})

var dynamoWrite = structure(nil, map[string]*shape{
	"Attributes": mapOf(attributeValue), "ConsumedCapacity": consumedCapacity, "ItemCollectionMetrics": itemCollectionMetrics,
})

// resultShapes maps an integration's service and action, as its resource
// names them, to the shape of its result.
var resultShapes = map[string]*shape{
	"lambda:invoke": structure(nil, map[string]*shape{
		"StatusCode": integer, "FunctionError": str, "LogResult": str, "Payload": document, "ExecutedVersion": str,
	}),
	"sqs:sendMessage": structure(nil, map[string]*shape{
		"MD5OfMessageBody": str, "MD5OfMessageAttributes": str, "MD5OfMessageSystemAttributes": str,
		"MessageId": str, "SequenceNumber": str,
	}),
	"sns:publish": structure(nil, map[string]*shape{"MessageId": str, "SequenceNumber": str}),
	"events:putEvents": structure(nil, map[string]*shape{
		"FailedEntryCount": integer,
		"Entries":          listOf(structure(nil, map[string]*shape{"EventId": str, "ErrorCode": str, "ErrorMessage": str})),
	}),
	"dynamodb:getItem": structure(nil, map[string]*shape{
		"Item": mapOf(attributeValue), "ConsumedCapacity": consumedCapacity,
	}),
	"dynamodb:putItem":    dynamoWrite,
	"dynamodb:updateItem": dynamoWrite,
	"dynamodb:deleteItem": dynamoWrite,
	"sesv2:sendEmail":     structure(nil, map[string]*shape{"MessageId": str}),
	"states:startExecution": structure([]string{"ExecutionArn", "StartDate"}, map[string]*shape{
		"ExecutionArn": str, "StartDate": timestamp,
	}),
}

// resultShape returns the shape of a Task resource's result, or nil when
// Stepwise does not know it.
func resultShape(r resource.Resource) *shape {
	if r.Kind != resource.Integration || (r.Pattern != resource.RequestResponse && r.Pattern != resource.WaitForTaskToken) {
		// AWS checks .sync and .sync:2 results against the job's polling
		// API, which Stepwise does not model.
		return nil
	}
	svc := r.Service
	if r.SDK && svc == "eventbridge" {
		// aws-sdk:dynamodb:getItem answers as dynamodb:getItem does;
		// eventbridge is events' SDK name.
		svc = "events"
	}
	return resultShapes[svc+":"+r.Action]
}

// The fieldValidationMode values [Check] takes; "" means [Strict].
const (
	Strict  = "STRICT"
	Present = "PRESENT"
	None    = "NONE"
)

// Check checks a mocked result v of a Task with resource r against the
// model of r's result, in mode (see the package doc). A result that does
// not fit gives an *[Error] with AWS's message ("Mock result schema
// validation error: ..."); a resource without a model accepts anything.
func Check(r resource.Resource, mode string, v any) error {
	if mode == None {
		return nil
	}
	s := resultShape(r)
	if s == nil {
		return nil
	}
	if _, ok := v.(*jsonval.Object); !ok {
		return errorf("The mocked result must be a JSON object")
	}
	return checkShape(v, s, "", mode == "" || mode == Strict)
}

// Error is a result that does not fit its model. Message is AWS's
// message for it, as TestState's ValidationException words it.
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(format string, args ...any) *Error {
	return &Error{Message: "Mock result schema validation error: " + fmt.Sprintf(format, args...)}
}

func checkShape(v any, s *shape, field string, strict bool) error {
	bad := func(what string) error {
		return errorf("Field '%s' must be %s", field, what)
	}
	switch s.kind {
	case "document":
		return nil
	case "structure":
		obj, ok := v.(*jsonval.Object)
		if !ok {
			return bad("an object")
		}
		if strict {
			for _, r := range s.required {
				if !obj.Has(r) {
					return errorf("Required field '%s' is missing", r)
				}
			}
		}
		for k, x := range obj.All() {
			if m, ok := s.members[k]; ok {
				if err := checkShape(x, m, k, strict); err != nil {
					return err
				}
			}
		}
	case "list":
		list, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		for _, x := range list {
			if err := checkShape(x, s.elem, field, strict); err != nil {
				return err
			}
		}
	case "map":
		obj, ok := v.(*jsonval.Object)
		if !ok {
			return bad("an object")
		}
		for _, x := range obj.All() {
			if err := checkShape(x, s.elem, field, strict); err != nil {
				return err
			}
		}
	case "string", "blob":
		if _, ok := v.(string); !ok {
			return bad("a string")
		}
	case "timestamp":
		if k := jsonval.KindOf(v); k != jsonval.String && k != jsonval.Number {
			return bad("a string")
		}
	case "integer":
		if jsonval.KindOf(v) != jsonval.Number || !jsonval.IsIntegral(v) {
			return bad("a number")
		}
	case "double":
		if jsonval.KindOf(v) != jsonval.Number {
			return bad("a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	}
	return nil
}
