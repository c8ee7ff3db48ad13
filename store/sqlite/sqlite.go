package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"stepwise/store"
)

var _ store.Store = (*Store)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// DefaultPath is where the service keeps its database when not told
// otherwise.
const DefaultPath = ".stepwise/stepwise.db"

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// MaxBatch is the most writes the writer commits in one transaction;
	// 0 means 512.
	MaxBatch int
	// BatchWindow is how long the writer waits for more writes after taking
	// the first of a batch. 0 means it commits what is queued at once;
	// writes that arrive during the sync form the next batch.
	BatchWindow time.Duration
	// ReadConns is the size of the read connection pool; 0 means 4.
	ReadConns int
	// BusyTimeout is how long a connection waits for a lock held by
	// another process; 0 means 5s.
	BusyTimeout time.Duration
}

// Store is a [store.Store] kept in one SQLite file. It is safe for
// concurrent use by multiple goroutines. It owns one writer goroutine,
// started by [Open] and stopped by [Store.Close].
type Store struct {
	db    *sql.DB
	wconn *sql.Conn // the writer's connection, used only by writeLoop
	opts  Options
	lock  *os.File // flock held on path+".lock" until Close

	reqs chan *request
	quit chan struct{} // closed by Close once no request is pending
	wg   sync.WaitGroup

	mu      sync.RWMutex // protects closed; held for reading while entering
	closed  bool
	pending sync.WaitGroup // calls under way; Close waits for them

	closeOnce sync.Once
	closeErr  error

	batches atomic.Int64 // transactions committed by the writer
	writes  atomic.Int64 // writes applied in them

	// reads caches prepared read statements by query text: preparing a
	// statement on every read was a large share of a read's cost.
	reads sync.Map // string -> *sql.Stmt
}

// prepared returns the cached prepared statement of a read query.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.reads.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if old, loaded := s.reads.LoadOrStore(query, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// queryRow runs a read query expected to return at most one row.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return s.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// queryRows runs a read query.
func (s *Store) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// request is one write handed to the writer goroutine.
type request struct {
	ctx  context.Context
	fn   func(w *wtx) error
	done chan error // buffered: the writer never blocks answering
}

// Open opens (creating it and its parent directories if needed) the
// database file at path, applies the pending migrations, and starts the
// writer. path is a plain file path, not a URI; ":memory:" is refused, since
// each pooled connection would get its own database. The caller must call
// Close.
//
// The Store is the database's only user: Open takes an exclusive lock on
// path+".lock" and fails, naming the file, while another Store (in this
// or another process) holds it. The lock ends with Close or the process.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	// The driver reads options after a '?' and treats a "file:" prefix as
	// a URI, whose escapes would change the name.
	if strings.Contains(path, "?") || strings.HasPrefix(path, "file:") || path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open %q: want a file path without '?' and not a URI", path)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 512
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 4
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	lock, err := lockFile(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s, err := openLocked(ctx, path, opts)
	if err != nil {
		unlockFile(lock)
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// openLocked is Open once the lock is held.
func openLocked(ctx context.Context, path string, opts Options) (*Store, error) {
	// temp_store(MEMORY): every commit of a batch runs in its own savepoint,
	// whose statement journal would otherwise be a temporary file written
	// page by page (a fifth of the writer's CPU in syscalls).
	dsn := path + "?_pragma=busy_timeout(" + strconv.FormatInt(opts.BusyTimeout.Milliseconds(), 10) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(opts.ReadConns + 1)
	db.SetMaxIdleConns(opts.ReadConns + 1)
	db.SetConnMaxIdleTime(0)
	wconn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(ctx, wconn); err != nil {
		wconn.Close()
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{
		db:    db,
		wconn: wconn,
		opts:  opts,
		reqs:  make(chan *request, opts.MaxBatch),
		quit:  make(chan struct{}),
	}
	s.wg.Go(s.writeLoop)
	return s, nil
}

// migrate applies the embedded migrations newer than the database's
// user_version, each in its own transaction.
func migrate(ctx context.Context, conn *sql.Conn) error {
	var version int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	for _, name := range names {
		base := filepath.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad name", base)
		}
		if n <= version {
			continue
		}
		text, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, string(text)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(n)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", base, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// Close waits for the calls under way (the writer commits every write it
// accepted), stops the writer and closes the database. Later calls of any
// method return [store.ErrClosed]. Close is idempotent; it returns the
// error of closing the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.pending.Wait()
		close(s.quit)
		s.wg.Wait()
		s.reads.Range(func(_, st any) bool {
			st.(*sql.Stmt).Close()
			return true
		})
		err1 := s.wconn.Close()
		err2 := s.db.Close()
		var err3 error
		if s.lock != nil {
			err3 = unlockFile(s.lock)
		}
		if err := errors.Join(err1, err2, err3); err != nil {
			s.closeErr = fmt.Errorf("close store: %w", err)
		}
	})
	return s.closeErr
}

// Exclusive implements [store.Exclusive]: the lock Open takes keeps every
// other process out.
func (s *Store) Exclusive() bool { return true }

// enter registers a call; the caller must call s.pending.Done when it is
// finished. It fails once the store is closed.
func (s *Store) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	s.pending.Add(1)
	return nil
}

// write runs fn in the writer goroutine, inside a savepoint of the current
// batch's transaction, and returns its error, or the commit's. If ctx ends
// first, write returns its error and fn may or may not be applied.
func (s *Store) write(ctx context.Context, fn func(w *wtx) error) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		s.pending.Done()
		return fmt.Errorf("store: %w", ctx.Err())
	}
	// The writer calls s.pending.Done once it has answered r.
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("store: %w", ctx.Err())
	}
}

// writeLoop is the writer goroutine: it takes batches of requests and
// commits each batch in one transaction.
func (s *Store) writeLoop() {
	w := &wtx{ctx: context.Background(), conn: s.wconn, stmts: map[string]*sql.Stmt{}}
	defer w.closeStmts()
	var timer *time.Timer
	batch := make([]*request, 0, s.opts.MaxBatch)
	for {
		select {
		case <-s.quit:
			return
		case r := <-s.reqs:
			batch = append(batch[:0], r)
		}
		if s.opts.BatchWindow > 0 {
			if timer == nil {
				timer = time.NewTimer(s.opts.BatchWindow)
			} else {
				timer.Reset(s.opts.BatchWindow)
			}
		collect:
			for len(batch) < s.opts.MaxBatch {
				select {
				case r := <-s.reqs:
					batch = append(batch, r)
				case <-timer.C:
					break collect
				}
			}
			timer.Stop()
		}
	drain:
		for len(batch) < s.opts.MaxBatch {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.runBatch(w, batch)
		clear(batch)
	}
}

// runBatch commits a batch: one transaction, one savepoint per request, one
// sync. Each request is answered, and counted done, exactly once.
func (s *Store) runBatch(w *wtx, batch []*request) {
	errs := make([]error, len(batch))
	answer := func() {
		for i, r := range batch {
			r.done <- errs[i]
			s.pending.Done()
		}
	}
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		answer()
	}
	if _, err := w.conn.ExecContext(w.ctx, "BEGIN IMMEDIATE"); err != nil {
		fail(fmt.Errorf("begin batch: %w", err))
		return
	}
	applied := 0
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			errs[i] = fmt.Errorf("store: %w", err)
			continue
		}
		if _, err := w.exec("SAVEPOINT c"); err != nil {
			w.conn.ExecContext(w.ctx, "ROLLBACK")
			fail(fmt.Errorf("savepoint: %w", err))
			return
		}
		errs[i] = r.fn(w)
		if errs[i] != nil {
			if _, err := w.exec("ROLLBACK TO c"); err != nil {
				w.conn.ExecContext(w.ctx, "ROLLBACK")
				fail(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		} else {
			applied++
		}
		if _, err := w.exec("RELEASE c"); err != nil {
			w.conn.ExecContext(w.ctx, "ROLLBACK")
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if applied == 0 {
		if _, err := w.conn.ExecContext(w.ctx, "ROLLBACK"); err != nil {
			fail(fmt.Errorf("rollback batch: %w", err))
			return
		}
		answer()
		return
	}
	if _, err := w.conn.ExecContext(w.ctx, "COMMIT"); err != nil {
		w.conn.ExecContext(w.ctx, "ROLLBACK")
		fail(fmt.Errorf("commit batch: %w", err))
		return
	}
	s.batches.Add(1)
	s.writes.Add(int64(applied))
	answer()
}

// wtx runs statements on the writer's connection, inside the current
// batch's transaction. Only the writer goroutine uses it.
type wtx struct {
	ctx   context.Context
	conn  *sql.Conn
	stmts map[string]*sql.Stmt // prepared statements by query text
}

func (w *wtx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.conn.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

func (w *wtx) exec(query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

// execOne runs a statement that must change at least one row; when it
// changes none it returns none (ErrNotFound, ErrTaskClosed, ...).
func (w *wtx) execOne(none error, query string, args ...any) error {
	res, err := w.exec(query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(err, none)
	}
	return nil
}

func (w *wtx) query(query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.ctx, args...)
}

// scanRow runs a query expected to return at most one row and scans it;
// it returns sql.ErrNoRows for none.
func (w *wtx) scanRow(query string, args []any, dest ...any) error {
	st, err := w.stmt(query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(w.ctx, args...).Scan(dest...)
}

func (w *wtx) closeStmts() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// isConstraint reports whether err is a UNIQUE or PRIMARY KEY violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
