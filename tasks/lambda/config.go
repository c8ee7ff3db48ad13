package lambda

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"time"
)

// DefaultTimeout bounds a local command when neither its [Function] nor
// the Task state gives a timeout.
const DefaultTimeout = 60 * time.Second

// Config says how each Lambda function is reached.
type Config struct {
	// Functions holds the back-end of each function, by function name
	// (the NAME of arn:aws:lambda:REGION:ACCOUNT:function:NAME).
	Functions map[string]Function
	// Default answers functions missing from Functions. Nil means such
	// functions do not exist: their tasks fail with
	// Lambda.ResourceNotFoundException, as on AWS.
	Default *Function
	// Region and Account name functions in ARNs and error messages when a
	// Task gives only a function name. Defaults: us-east-1, 123456789012.
	Region  string
	Account string
	// Logger receives each line a local command writes to stderr, with
	// the function's name, the request ID and the state, as Lambda sends a
	// function's stderr to CloudWatch Logs. Nil discards them; a failure's
	// cause still shows the last lines.
	Logger *slog.Logger
}

// Function is the back-end of one function: Command when it is set,
// otherwise the Invoke API at Endpoint.
type Function struct {
	// Command is a local command (program and arguments) that receives the
	// event as JSON on stdin and writes its result as JSON on stdout. A
	// non-zero exit status, or a JSON object with a string "errorType" on
	// stdout, is a function error.
	Command []string `json:"Command,omitempty"`
	// Dir is the command's working directory; empty means the current one.
	Dir string `json:"Dir,omitempty"`
	// Env is added to the command's environment ("KEY=value").
	Env []string `json:"Env,omitempty"`
	// Timeout kills the command when it runs longer. Zero means the Task
	// state's TimeoutSeconds, or [DefaultTimeout] when it has none.
	Timeout time.Duration `json:"-"`

	// Endpoint is the base URL of the Invoke API, such as
	// http://127.0.0.1:3001 for `sam local start-lambda`. Empty means AWS:
	// https://lambda.REGION.amazonaws.com.
	Endpoint string `json:"Endpoint,omitempty"`
	// Region signs requests; empty means the function ARN's region, or
	// Config.Region.
	Region string `json:"Region,omitempty"`
	// AccessKeyID, SecretAccessKey and SessionToken sign requests to the
	// Invoke API. Local emulators accept any values.
	AccessKeyID     string `json:"-"`
	SecretAccessKey string `json:"-"`
	SessionToken    string `json:"-"`
}

// fileConfig is the JSON form of a Config read by [ParseConfig].
type fileConfig struct {
	Functions map[string]fileFunction
	Default   *fileFunction
	Region    string
	Account   string
}

type fileFunction struct {
	Function
	TimeoutSeconds float64
}

func (f fileFunction) resolve(dir string) Function {
	fn := f.Function
	fn.Timeout = time.Duration(min(f.TimeoutSeconds, math.MaxInt64/float64(time.Second)) * float64(time.Second))
	if fn.Dir == "" {
		fn.Dir = dir
	} else if !filepath.IsAbs(fn.Dir) {
		fn.Dir = filepath.Join(dir, fn.Dir)
	}
	return fn
}

// ParseConfig reads a Config from JSON:
//
//	{
//	  "Functions": {
//	    "validate": {"Command": ["python3", "validate.py"], "TimeoutSeconds": 5},
//	    "charge":   {"Endpoint": "http://127.0.0.1:3001"}
//	  },
//	  "Default": {"Endpoint": "http://127.0.0.1:3001"},
//	  "Region": "us-east-1"
//	}
//
// Commands run in dir (the directory of the file, usually), or in their
// own Dir, taken relative to dir. Credentials are never read from the
// file: the caller sets them (from the environment, say).
func ParseConfig(data []byte, dir string) (Config, error) {
	var fc fileConfig
	if err := json.Unmarshal(data, &fc); err != nil {
		return Config{}, fmt.Errorf("lambda config: %w", err)
	}
	c := Config{Functions: map[string]Function{}, Region: fc.Region, Account: fc.Account}
	for name, f := range fc.Functions {
		if len(f.Command) == 0 && f.Endpoint == "" {
			return Config{}, fmt.Errorf("lambda config: function %s has neither Command nor Endpoint", name)
		}
		c.Functions[name] = f.resolve(dir)
	}
	if fc.Default != nil {
		d := fc.Default.resolve(dir)
		c.Default = &d
	}
	return c, nil
}
