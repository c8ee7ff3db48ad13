//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// errLocked is returned by Open when another process holds the database.
var errLocked = errors.New("sqlite: the database is in use by another stepwise process")

// lockFile takes an exclusive, non-blocking flock on path (created if
// needed). The kernel drops it when the process ends, however it ends, so
// a crashed server never leaves a stale lock behind. SQLite's own locks
// cannot stand in: two servers on one file would both run, sharing leases
// meant for one node.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: %w", path, errLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// unlockFile drops the lock of lockFile. The file stays: removing it would
// let a third process lock a new file while a second still waits on the
// old one.
func unlockFile(f *os.File) error { return f.Close() }
