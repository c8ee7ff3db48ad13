//go:build !unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
)

// errLocked is returned by Open when another process holds the database.
var errLocked = errors.New("sqlite: the database is in use by another stepwise process")

// lockFile creates path exclusively: without flock, a lock file that
// exists means another process holds the database (or one crashed; remove
// the file by hand then).
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("lock %s: %w", path, errLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// unlockFile drops the lock of lockFile by removing the file.
func unlockFile(f *os.File) error {
	err := f.Close()
	return errors.Join(err, os.Remove(f.Name()))
}
