package lambda

import "testing"

// TestResolve pins how a function reference becomes the function called:
// every FunctionName form Lambda's Invoke API documents, with the region
// and account of the configuration where the reference has none, and a
// Qualifier parameter ahead of the one in the name.
func TestResolve(t *testing.T) {
	iv := New(Config{Region: "eu-west-1", Account: "111111111111"}, nil)
	tests := []struct {
		ref, qualifier             string
		name, region, arn, wantQua string
	}{
		{"echo", "", "echo", "eu-west-1", "arn:aws:lambda:eu-west-1:111111111111:function:echo", ""},
		{"echo:blue", "", "echo", "eu-west-1", "arn:aws:lambda:eu-west-1:111111111111:function:echo", "blue"},
		{"echo:blue", "7", "echo", "eu-west-1", "arn:aws:lambda:eu-west-1:111111111111:function:echo", "7"},
		{"222222222222:function:echo", "", "echo", "eu-west-1", "arn:aws:lambda:eu-west-1:222222222222:function:echo", ""},
		{"222222222222:function:echo:3", "", "echo", "eu-west-1", "arn:aws:lambda:eu-west-1:222222222222:function:echo", "3"},
		{"arn:aws:lambda:us-west-2:333333333333:function:echo", "", "echo", "us-west-2", "arn:aws:lambda:us-west-2:333333333333:function:echo", ""},
		{"arn:aws:lambda:us-west-2:333333333333:function:echo:prod", "", "echo", "us-west-2", "arn:aws:lambda:us-west-2:333333333333:function:echo", "prod"},
		// A full ARN's empty fields stay empty.
		{"arn:aws:lambda:us-east-1::function:OnFirstMatch", "", "OnFirstMatch", "us-east-1", "arn:aws:lambda:us-east-1::function:OnFirstMatch", ""},
	}
	for _, tt := range tests {
		c := call{qualifier: tt.qualifier}
		iv.resolve(&c, tt.ref)
		if c.name != tt.name || c.region != tt.region || c.arn != tt.arn || c.qualifier != tt.wantQua {
			t.Errorf("resolve(%q, qualifier %q) = name %q region %q arn %q qualifier %q; want %q %q %q %q",
				tt.ref, tt.qualifier, c.name, c.region, c.arn, c.qualifier, tt.name, tt.region, tt.arn, tt.wantQua)
		}
	}
}
