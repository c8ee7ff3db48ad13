//go:build !unix

package jobs

import "os/exec"

// ownGroup does nothing where process groups are not unix's.
func ownGroup(*exec.Cmd) {}

// killGroup kills cmd's process.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
