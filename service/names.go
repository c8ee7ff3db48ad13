package service

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkName applies AWS's rules for the names of state machines,
// executions and activities: 1 to 80 characters, none of whitespace,
// brackets, wildcards, the characters " # % \ ^ | ~ ` $ & , ; : / and
// control characters.
func checkName(kind, name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 80 {
		return errorf(CodeInvalidName, "Invalid Name: '%s' (the %s name must be 1 to 80 characters long)", name, kind)
	}
	for _, c := range name {
		if c <= 0x20 || (c >= 0x7f && c <= 0x9f) || strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", c) {
			return errorf(CodeInvalidName, "Invalid Name: '%s'", name)
		}
	}
	return nil
}

// arns builds and reads the ARNs of one region and account.
type arns struct {
	region, account string
}

func (a arns) stateMachine(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", a.region, a.account, name)
}

func (a arns) execution(machine, name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", a.region, a.account, machine, name)
}

func (a arns) express(machine, name, id string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", a.region, a.account, machine, name, id)
}

func (a arns) activity(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:activity:%s", a.region, a.account, name)
}

// parseARN splits arn:aws:states:REGION:ACCOUNT:KIND:REST and checks the
// kind. It returns an InvalidArn error for anything else.
func parseARN(arn, kind string) (rest string, err error) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != kind || parts[6] == "" {
		return "", errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return parts[6], nil
}

// machineNameOf returns the state machine name of an execution ARN.
func machineNameOf(executionARN string) (string, error) {
	parts := strings.SplitN(executionARN, ":", 8)
	if len(parts) < 8 || parts[0] != "arn" || parts[2] != "states" || (parts[5] != "execution" && parts[5] != "express") {
		return "", errorf(CodeInvalidArn, "Invalid Arn: 'Resource type not valid in this context: %s'", executionARN)
	}
	return parts[6], nil
}

func (s *Service) arns() arns { return arns{s.cfg.Region, s.cfg.Account} }
