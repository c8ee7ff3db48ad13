package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"

	"stepwise/store"
)

// The single writer runs each write alone, so the checks and the changes
// of every write below see no other write between them.

// routedQuery finds a row when an alias routes to a version.
const routedQuery = "SELECT 1 FROM alias_routes WHERE version_arn = ? LIMIT 1"

const versionColumns = "v.arn, m.arn, v.number, v.revision_id, v.description, v.creation_date"

const versionJoin = " FROM state_machine_versions v JOIN state_machines m ON m.seq = v.machine_seq"

func versionDest(v *store.StateMachineVersion, created *int64) []any {
	return []any{&v.ARN, &v.StateMachineARN, &v.Number, &v.RevisionID, &v.Description, created}
}

// publishW publishes the latest revision of p.StateMachineARN (see
// [store.Versions.PublishStateMachineVersion]); for an existing version
// it returns it with ErrAlreadyExists.
func publishW(w *wtx, p store.VersionPublish) (store.StateMachineVersion, error) {
	var seq, last, revisions int64
	var status, latest string
	err := w.scanRow(`SELECT m.seq, m.status, m.revision_id, m.last_version,
		(SELECT count(*) FROM state_machine_revisions r WHERE r.machine_seq = m.seq) FROM state_machines m WHERE m.arn = ?`,
		[]any{p.StateMachineARN}, &seq, &status, &latest, &last, &revisions)
	if err != nil {
		return store.StateMachineVersion{}, notFound(err)
	}
	if status == string(store.StatusDeleting) {
		return store.StateMachineVersion{}, store.ErrStateMachineDeleting
	}
	if p.RevisionID == store.InitialRevision && revisions != 1 || p.RevisionID != "" && p.RevisionID != store.InitialRevision && p.RevisionID != latest {
		return store.StateMachineVersion{}, fmt.Errorf("revision %s is not the latest: %w", p.RevisionID, store.ErrConflict)
	}
	var existing store.StateMachineVersion
	var created int64
	err = w.scanRow("SELECT "+versionColumns+versionJoin+" WHERE v.machine_seq = ? AND v.revision_id = ?",
		[]any{seq, latest}, versionDest(&existing, &created)...)
	if err == nil {
		existing.CreationDate = store.FromUnixNanos(created)
		return existing, store.ErrAlreadyExists
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.StateMachineVersion{}, err
	}
	var count int
	if err := w.scanRow("SELECT count(*) FROM state_machine_versions WHERE machine_seq = ?", []any{seq}, &count); err != nil {
		return store.StateMachineVersion{}, err
	}
	if count >= store.MaxVersions {
		return store.StateMachineVersion{}, fmt.Errorf("%d versions: %w", count, store.ErrQuotaExceeded)
	}
	v := store.StateMachineVersion{ARN: p.StateMachineARN + ":" + strconv.FormatInt(last+1, 10), StateMachineARN: p.StateMachineARN,
		Number: last + 1, RevisionID: latest, Description: p.Description, CreationDate: store.FromUnixNanos(store.UnixNanos(p.CreationDate))}
	if _, err := w.exec(`INSERT INTO state_machine_versions (machine_seq, number, arn, revision_id, description, creation_date)
		VALUES (?, ?, ?, ?, ?, ?)`, seq, v.Number, v.ARN, v.RevisionID, v.Description, store.UnixNanos(v.CreationDate)); err != nil {
		return store.StateMachineVersion{}, err
	}
	if _, err := w.exec("UPDATE state_machines SET last_version = ? WHERE seq = ?", v.Number, seq); err != nil {
		return store.StateMachineVersion{}, err
	}
	return v, nil
}

// PublishStateMachineVersion implements [store.Versions].
func (s *Store) PublishStateMachineVersion(ctx context.Context, p store.VersionPublish) (store.StateMachineVersion, error) {
	var v store.StateMachineVersion
	var exists bool
	err := s.write(ctx, func(w *wtx) error {
		var err error
		v, err = publishW(w, p)
		if errors.Is(err, store.ErrAlreadyExists) {
			exists = true
			return nil // nothing was written
		}
		return err
	})
	if err == nil && exists {
		err = store.ErrAlreadyExists
	}
	if err != nil {
		return v, fmt.Errorf("publish %s: %w", p.StateMachineARN, err)
	}
	return v, nil
}

// GetStateMachineVersion implements [store.Versions].
func (s *Store) GetStateMachineVersion(ctx context.Context, arn string) (store.StateMachineVersion, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachineVersion{}, err
	}
	defer s.pending.Done()
	var v store.StateMachineVersion
	var created int64
	if err := s.queryRow(ctx, "SELECT "+versionColumns+versionJoin+" WHERE v.arn = ?", arn).Scan(versionDest(&v, &created)...); err != nil {
		return store.StateMachineVersion{}, fmt.Errorf("get version %s: %w", arn, notFound(err))
	}
	v.CreationDate = store.FromUnixNanos(created)
	return v, nil
}

// ListStateMachineVersions implements [store.Versions].
func (s *Store) ListStateMachineVersions(ctx context.Context, machineARN string, p store.Page) ([]store.StateMachineVersion, string, error) {
	before, err := store.DecodeTokenAfter(store.TokenVersions, p.NextToken, math.MaxInt64)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, err)
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT seq FROM state_machines WHERE arn = ?", machineARN).Scan(&seq); err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, notFound(err))
	}
	n := store.PageSize(p.MaxResults)
	rows, err := tx.QueryContext(ctx, "SELECT "+versionColumns+versionJoin+
		" WHERE v.machine_seq = ? AND v.number < ? ORDER BY v.number DESC LIMIT ?", seq, before, n+1)
	if err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, err)
	}
	defer rows.Close()
	out, err := store.ScanAll(rows, func() (store.StateMachineVersion, error) {
		var v store.StateMachineVersion
		var created int64
		err := rows.Scan(versionDest(&v, &created)...)
		v.CreationDate = store.FromUnixNanos(created)
		return v, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, err)
	}
	page, next := store.CutPage(out, n, versionToken)
	return page, next, nil
}

// versionToken is the token of the versions listed after last.
func versionToken(last store.StateMachineVersion) string {
	return store.EncodeToken(store.TokenVersions, last.Number)
}

// DeleteStateMachineVersion implements [store.Versions].
func (s *Store) DeleteStateMachineVersion(ctx context.Context, arn string) error {
	err := s.write(ctx, func(w *wtx) error {
		err := w.scanRow(routedQuery, []any{arn}, new(int))
		if err == nil {
			return store.ErrVersionInUse
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return w.execOne(store.ErrNotFound, "DELETE FROM state_machine_versions WHERE arn = ?", arn)
	})
	if err != nil {
		return fmt.Errorf("delete version %s: %w", arn, err)
	}
	return nil
}

// checkRoutesW checks that every route names a version of the machine
// seq.
func checkRoutesW(w *wtx, seq int64, routes []store.Route) error {
	for _, r := range routes {
		var ok bool
		if err := w.scanRow("SELECT EXISTS (SELECT 1 FROM state_machine_versions WHERE arn = ? AND machine_seq = ?)",
			[]any{r.VersionARN, seq}, &ok); err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("version %s: %w", r.VersionARN, store.ErrNotFound)
		}
	}
	return nil
}

func putRoutesW(w *wtx, aliasSeq int64, routes []store.Route) error {
	if _, err := w.exec("DELETE FROM alias_routes WHERE alias_seq = ?", aliasSeq); err != nil {
		return err
	}
	for i, r := range routes {
		if _, err := w.exec("INSERT INTO alias_routes (alias_seq, position, version_arn, weight) VALUES (?, ?, ?, ?)",
			aliasSeq, i, r.VersionARN, r.Weight); err != nil {
			return err
		}
	}
	return nil
}

// getAliasW reads an alias inside the writer's transaction.
func getAliasW(w *wtx, arn string) (store.StateMachineAlias, int64, error) {
	var a store.StateMachineAlias
	var seq, created, updated int64
	err := w.scanRow(`SELECT a.seq, a.arn, m.arn, a.name, a.description, a.creation_date, a.update_date
		FROM state_machine_aliases a JOIN state_machines m ON m.seq = a.machine_seq WHERE a.arn = ?`, []any{arn},
		&seq, &a.ARN, &a.StateMachineARN, &a.Name, &a.Description, &created, &updated)
	if err != nil {
		return a, 0, notFound(err)
	}
	a.CreationDate, a.UpdateDate = store.FromUnixNanos(created), store.FromUnixNanos(updated)
	rows, err := w.query("SELECT version_arn, weight FROM alias_routes WHERE alias_seq = ? ORDER BY position", seq)
	if err != nil {
		return a, 0, err
	}
	defer rows.Close()
	a.Routing, err = scanRoutes(rows)
	return a, seq, err
}

func scanRoutes(rows *sql.Rows) ([]store.Route, error) {
	var out []store.Route
	for rows.Next() {
		var r store.Route
		if err := rows.Scan(&r.VersionARN, &r.Weight); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateStateMachineAlias implements [store.Versions].
func (s *Store) CreateStateMachineAlias(ctx context.Context, a store.StateMachineAlias) (store.StateMachineAlias, error) {
	a.CreationDate = store.FromUnixNanos(store.UnixNanos(a.CreationDate))
	a.UpdateDate = a.CreationDate
	var existing store.StateMachineAlias
	err := s.write(ctx, func(w *wtx) error {
		var seq int64
		var status string
		if err := w.scanRow("SELECT seq, status FROM state_machines WHERE arn = ?", []any{a.StateMachineARN}, &seq, &status); err != nil {
			return notFound(err)
		}
		got, _, err := getAliasW(w, a.ARN)
		if err == nil {
			existing = got
			return store.ErrAlreadyExists
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if status == string(store.StatusDeleting) {
			return store.ErrStateMachineDeleting
		}
		if err := checkRoutesW(w, seq, a.Routing); err != nil {
			return err
		}
		var count int
		if err := w.scanRow("SELECT count(*) FROM state_machine_aliases WHERE machine_seq = ?", []any{seq}, &count); err != nil {
			return err
		}
		if count >= store.MaxAliases {
			return fmt.Errorf("%d aliases: %w", count, store.ErrQuotaExceeded)
		}
		var aliasSeq int64
		if err := w.scanRow(`INSERT INTO state_machine_aliases (machine_seq, arn, name, description, creation_date, update_date)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING seq`, []any{seq, a.ARN, a.Name, a.Description, store.UnixNanos(a.CreationDate),
			store.UnixNanos(a.UpdateDate)}, &aliasSeq); err != nil {
			return err
		}
		return putRoutesW(w, aliasSeq, a.Routing)
	})
	if err != nil {
		return existing, fmt.Errorf("create alias %s: %w", a.ARN, err)
	}
	return a, nil
}

// GetStateMachineAlias implements [store.Versions].
func (s *Store) GetStateMachineAlias(ctx context.Context, arn string) (store.StateMachineAlias, error) {
	if err := s.enter(ctx); err != nil {
		return store.StateMachineAlias{}, err
	}
	defer s.pending.Done()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("get alias %s: %w", arn, err)
	}
	defer tx.Rollback()
	list, err := readAliases(ctx, tx, `WHERE a.arn = ?`, arn)
	if err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("get alias %s: %w", arn, err)
	}
	if len(list) == 0 {
		return store.StateMachineAlias{}, fmt.Errorf("get alias %s: %w", arn, store.ErrNotFound)
	}
	return list[0].a, nil
}

type seqAlias struct {
	seq int64
	a   store.StateMachineAlias
}

// readAliases reads the aliases a where clause selects, by seq, with their
// routes, in one read transaction.
func readAliases(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]seqAlias, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.seq, a.arn, m.arn, a.name, a.description, a.creation_date, a.update_date
		FROM state_machine_aliases a JOIN state_machines m ON m.seq = a.machine_seq `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []seqAlias
	for rows.Next() {
		var x seqAlias
		var created, updated int64
		if err := rows.Scan(&x.seq, &x.a.ARN, &x.a.StateMachineARN, &x.a.Name, &x.a.Description, &created, &updated); err != nil {
			return nil, err
		}
		x.a.CreationDate, x.a.UpdateDate = store.FromUnixNanos(created), store.FromUnixNanos(updated)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		r, err := tx.QueryContext(ctx, "SELECT version_arn, weight FROM alias_routes WHERE alias_seq = ? ORDER BY position", out[i].seq)
		if err != nil {
			return nil, err
		}
		out[i].a.Routing, err = scanRoutes(r)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// UpdateStateMachineAlias implements [store.Versions].
func (s *Store) UpdateStateMachineAlias(ctx context.Context, u store.AliasUpdate) (store.StateMachineAlias, error) {
	var a store.StateMachineAlias
	err := s.write(ctx, func(w *wtx) error {
		var seq int64
		var err error
		if a, seq, err = getAliasW(w, u.ARN); err != nil {
			return err
		}
		var machineSeq int64
		var status string
		if err := w.scanRow("SELECT m.seq, m.status FROM state_machines m JOIN state_machine_aliases a ON a.machine_seq = m.seq WHERE a.seq = ?",
			[]any{seq}, &machineSeq, &status); err != nil {
			return err
		}
		if status == string(store.StatusDeleting) {
			return store.ErrStateMachineDeleting
		}
		if u.Routing != nil {
			if err := checkRoutesW(w, machineSeq, u.Routing); err != nil {
				return err
			}
			if err := putRoutesW(w, seq, u.Routing); err != nil {
				return err
			}
			a.Routing = u.Routing
		}
		set(&a.Description, u.Description)
		a.UpdateDate = store.FromUnixNanos(store.UnixNanos(u.UpdateDate))
		_, err = w.exec("UPDATE state_machine_aliases SET description = ?, update_date = ? WHERE seq = ?", a.Description, store.UnixNanos(a.UpdateDate), seq)
		return err
	})
	if err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("update alias %s: %w", u.ARN, err)
	}
	a.Routing = append([]store.Route(nil), a.Routing...)
	return a, nil
}

// DeleteStateMachineAlias implements [store.Versions].
func (s *Store) DeleteStateMachineAlias(ctx context.Context, arn string) error {
	err := s.write(ctx, func(w *wtx) error {
		return w.execOne(store.ErrNotFound, "DELETE FROM state_machine_aliases WHERE arn = ?", arn)
	})
	if err != nil {
		return fmt.Errorf("delete alias %s: %w", arn, err)
	}
	return nil
}

// ListStateMachineAliases implements [store.Versions].
func (s *Store) ListStateMachineAliases(ctx context.Context, q store.AliasQuery) ([]store.StateMachineAlias, string, error) {
	after, err := store.DecodeTokenAfter(store.TokenAliases, q.NextToken, 0)
	if err != nil {
		return nil, "", err
	}
	if err := s.enter(ctx); err != nil {
		return nil, "", err
	}
	defer s.pending.Done()
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, "", fmt.Errorf("list aliases %s: %w", q.StateMachineARN, err)
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, "SELECT seq FROM state_machines WHERE arn = ?", q.StateMachineARN).Scan(&seq); err != nil {
		return nil, "", fmt.Errorf("list aliases %s: %w", q.StateMachineARN, notFound(err))
	}
	n := store.PageSize(q.MaxResults)
	where, args := "WHERE a.machine_seq = ? AND a.seq > ?", []any{seq, after}
	if q.VersionARN != "" {
		where += " AND EXISTS (SELECT 1 FROM alias_routes r WHERE r.alias_seq = a.seq AND r.version_arn = ?)"
		args = append(args, q.VersionARN)
	}
	list, err := readAliases(ctx, tx, where+" ORDER BY a.seq LIMIT ?", append(args, n+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list aliases %s: %w", q.StateMachineARN, err)
	}
	var next string
	if len(list) > n {
		list = list[:n]
		next = store.EncodeToken(store.TokenAliases, list[n-1].seq)
	}
	out := make([]store.StateMachineAlias, len(list))
	for i, x := range list {
		out[i] = x.a
	}
	return out, next, nil
}
