package lambda_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"stepwise/jsonval"
	"stepwise/tasks"
)

// recordedOutput reads the output of the TaskSucceeded event of a
// recorded AWS execution in ../shared/conformance/asl-tasks.
func recordedOutput(t *testing.T, id string) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../../../shared/conformance/asl-tasks/cases/" + id + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Expected struct {
			History []struct {
				Type    string
				Details struct {
					Output map[string]any
				} `json:"taskSucceededEventDetails"`
			}
		}
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	for _, ev := range c.Expected.History {
		if ev.Type == "TaskSucceeded" {
			return ev.Details.Output
		}
	}
	t.Fatalf("%s has no TaskSucceeded event", id)
	return nil
}

func keys(m any) []string {
	var out []string
	for k := range m.(map[string]any) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestRecordedInvokeShape checks the lambda:invoke result against AWS's
// recording (conformance case
// test_lambda_task_service__TestTaskServiceLambda__test_invoke_json_values_HelloWorld--9679602c),
// with a server that sends the headers Lambda sent.
func TestRecordedInvokeShape(t *testing.T) {
	want := recordedOutput(t, "test_lambda_task_service__TestTaskServiceLambda__test_invoke_json_values_HelloWorld--9679602c")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("X-Amz-Executed-Version", "$LATEST")
		h["x-amzn-Remapped-Content-Length"] = []string{"0"}
		h.Set("Connection", "keep-alive")
		h["x-amzn-RequestId"] = []string{"6f1b0f5e-0000-4000-8000-000000000000"}
		h.Set("X-Amzn-Trace-Id", "Root=1-0-0;Parent=0;Sampled=0")
		h.Set("Content-Type", "application/json")
		io.WriteString(w, `"HelloWorld"`)
	}))
	defer srv.Close()
	got, err := apiInvoker(srv.URL).Invoke(t.Context(), tasks.Request{Resource: tasks.ResourceLambdaInvoke,
		Input: obj(t, `{"FunctionName":"fn","Payload":"HelloWorld"}`)})
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]any
	if err := json.Unmarshal([]byte(jsonval.MustMarshalString(got)), &g); err != nil {
		t.Fatal(err)
	}
	for _, path := range [][]string{nil, {"SdkHttpMetadata"}, {"SdkHttpMetadata", "AllHttpHeaders"}, {"SdkHttpMetadata", "HttpHeaders"}, {"SdkResponseMetadata"}} {
		w, gv := any(want), any(g)
		for _, k := range path {
			w, gv = w.(map[string]any)[k], gv.(map[string]any)[k]
		}
		if wk, gk := keys(w), keys(gv); !slices.Equal(wk, gk) {
			t.Errorf("keys of %v: got %v, want %v", path, gk, wk)
		}
	}
	for _, k := range []string{"ExecutedVersion", "Payload", "StatusCode"} {
		if g[k] != want[k] {
			t.Errorf("%s = %v, want %v", k, g[k], want[k])
		}
	}
}
