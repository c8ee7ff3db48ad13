// Package mock answers Task states from a mock configuration file in the
// format of AWS Step Functions Local (MockConfigFile.json), accepted
// unchanged:
//
//	{
//	  "StateMachines": {
//	    "MACHINE": {"TestCases": {"CASE": {"STATE": "RESPONSE", ...}}}
//	  },
//	  "MockedResponses": {
//	    "RESPONSE": {
//	      "0":   {"Return": {...}},
//	      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "..."}}
//	    }
//	  }
//	}
//
// A test case maps Task state names to mocked responses. A mocked
// response maps zero-based invocation numbers ("0") or inclusive ranges
// ("1-2") to a Return (the task's result) or a Throw (a task failure with
// Error and Cause). Invocations of a state are counted per execution,
// across retries and across Map iterations; an invocation past the last
// number given gets the last response again, as in Step Functions Local.
package mock
