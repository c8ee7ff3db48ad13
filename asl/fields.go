package asl

// typeSet is a set of state types, as a bit mask.
type typeSet uint16

const (
	tPass typeSet = 1 << iota
	tTask
	tChoice
	tWait
	tSucceed
	tFail
	tParallel
	tMap

	tAll = tPass | tTask | tChoice | tWait | tSucceed | tFail | tParallel | tMap
)

var typeBits = map[StateType]typeSet{
	TypePass: tPass, TypeTask: tTask, TypeChoice: tChoice, TypeWait: tWait,
	TypeSucceed: tSucceed, TypeFail: tFail, TypeParallel: tParallel, TypeMap: tMap,
}

// language says which query languages allow a field.
type language uint8

const (
	anyLanguage language = iota
	onlyJSONPath
	onlyJSONata
)

type fieldRule struct {
	types typeSet
	lang  language
}

// stateFields lists every field a state may have, the state types that
// accept it and the query language it belongs to (ASL specification and the
// AWS Step Functions developer guide, "State machine structure" and
// "Transforming data with JSONata").
var stateFields = map[string]fieldRule{
	"Type":          {tAll, anyLanguage},
	"Comment":       {tAll, anyLanguage},
	"QueryLanguage": {tAll, anyLanguage},

	"Next": {tPass | tTask | tWait | tParallel | tMap, anyLanguage},
	"End":  {tPass | tTask | tWait | tParallel | tMap, anyLanguage},

	"InputPath":      {tAll &^ tFail, onlyJSONPath},
	"OutputPath":     {tAll &^ tFail, onlyJSONPath},
	"Parameters":     {tPass | tTask | tParallel | tMap, onlyJSONPath},
	"ResultSelector": {tTask | tParallel | tMap, onlyJSONPath},
	"ResultPath":     {tPass | tTask | tParallel | tMap, onlyJSONPath},
	"Result":         {tPass, onlyJSONPath},

	"Arguments": {tTask | tParallel, onlyJSONata},
	"Output":    {tAll &^ tFail, onlyJSONata},

	"Assign": {tPass | tTask | tChoice | tWait | tParallel | tMap, anyLanguage},
	"Retry":  {tTask | tParallel | tMap, anyLanguage},
	"Catch":  {tTask | tParallel | tMap, anyLanguage},

	"Resource":             {tTask, anyLanguage},
	"Credentials":          {tTask, anyLanguage},
	"TimeoutSeconds":       {tTask, anyLanguage},
	"TimeoutSecondsPath":   {tTask, onlyJSONPath},
	"HeartbeatSeconds":     {tTask, anyLanguage},
	"HeartbeatSecondsPath": {tTask, onlyJSONPath},

	"Choices": {tChoice, anyLanguage},
	"Default": {tChoice, anyLanguage},

	"Seconds":       {tWait, anyLanguage},
	"SecondsPath":   {tWait, onlyJSONPath},
	"Timestamp":     {tWait, anyLanguage},
	"TimestampPath": {tWait, onlyJSONPath},

	"Error":     {tFail, anyLanguage},
	"ErrorPath": {tFail, onlyJSONPath},
	"Cause":     {tFail, anyLanguage},
	"CausePath": {tFail, onlyJSONPath},

	"Branches": {tParallel, anyLanguage},

	"Iterator":                       {tMap, anyLanguage},
	"ItemProcessor":                  {tMap, anyLanguage},
	"ItemsPath":                      {tMap, onlyJSONPath},
	"Items":                          {tMap, onlyJSONata},
	"ItemSelector":                   {tMap, anyLanguage},
	"ItemReader":                     {tMap, anyLanguage},
	"ItemBatcher":                    {tMap, anyLanguage},
	"ResultWriter":                   {tMap, anyLanguage},
	"MaxConcurrency":                 {tMap, anyLanguage},
	"MaxConcurrencyPath":             {tMap, onlyJSONPath},
	"ToleratedFailurePercentage":     {tMap, anyLanguage},
	"ToleratedFailurePercentagePath": {tMap, onlyJSONPath},
	"ToleratedFailureCount":          {tMap, anyLanguage},
	"ToleratedFailureCountPath":      {tMap, onlyJSONPath},
	"Label":                          {tMap, anyLanguage},
}

// comparisonOperators maps each Choice comparison operator to the JSON kind
// of its literal operand ("path" for the ...Path forms).
var comparisonOperators = map[string]string{
	"StringEquals": "string", "StringEqualsPath": "path",
	"StringLessThan": "string", "StringLessThanPath": "path",
	"StringGreaterThan": "string", "StringGreaterThanPath": "path",
	"StringLessThanEquals": "string", "StringLessThanEqualsPath": "path",
	"StringGreaterThanEquals": "string", "StringGreaterThanEqualsPath": "path",
	"StringMatches": "string",
	"NumericEquals": "number", "NumericEqualsPath": "path",
	"NumericLessThan": "number", "NumericLessThanPath": "path",
	"NumericGreaterThan": "number", "NumericGreaterThanPath": "path",
	"NumericLessThanEquals": "number", "NumericLessThanEqualsPath": "path",
	"NumericGreaterThanEquals": "number", "NumericGreaterThanEqualsPath": "path",
	"BooleanEquals": "boolean", "BooleanEqualsPath": "path",
	"TimestampEquals": "timestamp", "TimestampEqualsPath": "path",
	"TimestampLessThan": "timestamp", "TimestampLessThanPath": "path",
	"TimestampGreaterThan": "timestamp", "TimestampGreaterThanPath": "path",
	"TimestampLessThanEquals": "timestamp", "TimestampLessThanEqualsPath": "path",
	"TimestampGreaterThanEquals": "timestamp", "TimestampGreaterThanEqualsPath": "path",
	"IsNull": "boolean", "IsPresent": "boolean", "IsNumeric": "boolean",
	"IsString": "boolean", "IsBoolean": "boolean", "IsTimestamp": "boolean",
}

// Limits from the AWS Step Functions quotas and API reference.
const (
	maxDefinitionBytes = 1 << 20 // 1,048,576 characters
	maxStateNameLength = 80
	maxLabelLength     = 40
	maxSeconds         = 99999999
	maxRetryDelay      = 31622400 // one year, in seconds
)
