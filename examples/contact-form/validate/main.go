// Command validate is the contact form's validate-contact Lambda function,
// run as a local command by Stepwise: it reads the form on stdin and
// writes the cleaned-up contact on stdout, or a Lambda error document
// ({"errorType": "ValidationError", ...}) and exits 1 when the form is
// not valid.
package main

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"os"
	"strings"
)

// form is what the contact form posts.
type form struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Message string `json:"message"`
}

// maxMessage bounds a message, in characters.
const maxMessage = 2000

func main() {
	var f form
	if err := json.NewDecoder(os.Stdin).Decode(&f); err != nil {
		fail("the form is not a JSON object: " + err.Error())
	}
	f.Name = strings.TrimSpace(f.Name)
	f.Email = strings.ToLower(strings.TrimSpace(f.Email))
	f.Message = strings.TrimSpace(f.Message)
	switch {
	case f.Name == "":
		fail("name is required")
	case f.Email == "":
		fail("email is required")
	case !validEmail(f.Email):
		fail(fmt.Sprintf("%q is not a valid email address", f.Email))
	case f.Message == "":
		fail("message is required")
	case len([]rune(f.Message)) > maxMessage:
		fail(fmt.Sprintf("message is longer than %d characters", maxMessage))
	}
	if err := json.NewEncoder(os.Stdout).Encode(f); err != nil {
		os.Exit(1)
	}
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.IndexByte(s, '@'):], ".")
}

// fail reports a validation error the way a Lambda runtime reports a
// function error, and exits.
func fail(msg string) {
	json.NewEncoder(os.Stdout).Encode(map[string]string{"errorType": "ValidationError", "errorMessage": msg})
	os.Exit(1)
}
