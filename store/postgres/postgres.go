package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"stepwise/store"
)

var _ store.Store = (*Store)(nil)

// Options tune a Store. The zero value is ready to use.
type Options struct {
	// Schema is the PostgreSQL schema that holds the store's tables; Open
	// creates it if it does not exist and puts it alone on the search_path
	// of every connection. Empty means the tables are found through the
	// search_path of the DSN or of the server (normally "public").
	Schema string
	// MaxConns is the most connections the pool opens; 0 means the DSN's
	// pool_max_conns, or pgxpool's default (the greater of 4 and the number
	// of CPUs). It bounds how many calls run in the database at once.
	MaxConns int32
}

// Store is a [store.Store] kept in a PostgreSQL database. It is safe for
// concurrent use by multiple goroutines, and several Stores (in one
// process or on several nodes) may share one database and schema. It owns
// a connection pool, opened by [Open] and closed by [Store.Close].
type Store struct {
	pool *pgxpool.Pool

	mu      sync.RWMutex // protects closed; held for reading while entering
	closed  bool
	pending sync.WaitGroup // calls under way; Close waits for them

	closeOnce sync.Once
}

// Open connects to the database named by dsn (a PostgreSQL URL or
// key=value string, as pgxpool.ParseConfig takes it), creates
// opts.Schema if needed, and applies the pending migrations. Several
// nodes may open the same database at once. The caller must call Close.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	where := cfg.ConnConfig.Host + "/" + cfg.ConnConfig.Database
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.Schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{opts.Schema}.Sanitize()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", where, err)
	}
	if err := migrate(ctx, pool, opts.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", where, err)
	}
	s := &Store{pool: pool}
	if err := s.finishDeletes(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", where, err)
	}
	return s, nil
}

// Close waits for the calls under way, then closes the connection pool.
// Later calls of any method return [store.ErrClosed]. Close is idempotent
// and returns nil.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.pending.Wait()
		s.pool.Close()
	})
	return nil
}

// enter registers a call; the caller must call s.pending.Done when it is
// finished. It fails once the store is closed or ctx is done.
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

// inTx runs fn in a transaction as one call of the store, committing if fn
// returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.pending.Done()
	return pgx.BeginFunc(ctx, s.pool, fn)
}

type scanner interface{ Scan(dest ...any) error }

// notFound turns pgx.ErrNoRows into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}
