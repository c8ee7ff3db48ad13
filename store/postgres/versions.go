package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/jackc/pgx/v5"

	"stepwise/store"
)

// Every write below first locks its machine's row FOR UPDATE, so the
// writes of one machine's versions and aliases, and its updates, run one
// after the other: version numbers are handed out once, one version per
// revision, and a version's delete and an alias routing to it never both
// commit.

const versionColumns = "v.arn, m.arn, v.number, v.revision_id, v.description, v.creation_date"

const versionJoin = " FROM state_machine_versions v JOIN state_machines m ON m.seq = v.machine_seq"

func scanVersion(sc scanner) (store.StateMachineVersion, error) {
	var v store.StateMachineVersion
	var created int64
	err := sc.Scan(&v.ARN, &v.StateMachineARN, &v.Number, &v.RevisionID, &v.Description, &created)
	v.CreationDate = store.FromUnixNanos(created)
	return v, err
}

// publishTx publishes the latest revision of p.StateMachineARN (see
// [store.Versions.PublishStateMachineVersion]); for an existing version
// it returns it with ErrAlreadyExists.
func publishTx(ctx context.Context, tx pgx.Tx, p store.VersionPublish) (store.StateMachineVersion, error) {
	var seq, last, revisions int64
	var status, latest string
	err := tx.QueryRow(ctx, `SELECT m.seq, m.status, m.revision_id, m.last_version,
		(SELECT count(*) FROM state_machine_revisions r WHERE r.machine_seq = m.seq) FROM state_machines m WHERE m.arn = $1 FOR UPDATE OF m`,
		p.StateMachineARN).Scan(&seq, &status, &latest, &last, &revisions)
	if err != nil {
		return store.StateMachineVersion{}, notFound(err)
	}
	if status == string(store.StatusDeleting) {
		return store.StateMachineVersion{}, store.ErrStateMachineDeleting
	}
	if p.RevisionID == store.InitialRevision && revisions != 1 || p.RevisionID != "" && p.RevisionID != store.InitialRevision && p.RevisionID != latest {
		return store.StateMachineVersion{}, fmt.Errorf("revision %s is not the latest: %w", p.RevisionID, store.ErrConflict)
	}
	existing, err := scanVersion(tx.QueryRow(ctx, "SELECT "+versionColumns+versionJoin+" WHERE v.machine_seq = $1 AND v.revision_id = $2", seq, latest))
	if err == nil {
		return existing, store.ErrAlreadyExists
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.StateMachineVersion{}, err
	}
	var count int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM state_machine_versions WHERE machine_seq = $1", seq).Scan(&count); err != nil {
		return store.StateMachineVersion{}, err
	}
	if count >= store.MaxVersions {
		return store.StateMachineVersion{}, fmt.Errorf("%d versions: %w", count, store.ErrQuotaExceeded)
	}
	v := store.StateMachineVersion{ARN: p.StateMachineARN + ":" + strconv.FormatInt(last+1, 10), StateMachineARN: p.StateMachineARN,
		Number: last + 1, RevisionID: latest, Description: p.Description, CreationDate: store.FromUnixNanos(store.UnixNanos(p.CreationDate))}
	if _, err := tx.Exec(ctx, `INSERT INTO state_machine_versions (machine_seq, number, arn, revision_id, description, creation_date)
		VALUES ($1, $2, $3, $4, $5, $6)`, seq, v.Number, v.ARN, v.RevisionID, v.Description, store.UnixNanos(v.CreationDate)); err != nil {
		return store.StateMachineVersion{}, err
	}
	if _, err := tx.Exec(ctx, "UPDATE state_machines SET last_version = $1 WHERE seq = $2", v.Number, seq); err != nil {
		return store.StateMachineVersion{}, err
	}
	return v, nil
}

// PublishStateMachineVersion implements [store.Versions].
func (s *Store) PublishStateMachineVersion(ctx context.Context, p store.VersionPublish) (store.StateMachineVersion, error) {
	var v store.StateMachineVersion
	var exists bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		v, err = publishTx(ctx, tx, p)
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
		return store.StateMachineVersion{}, fmt.Errorf("get version %s: %w", arn, err)
	}
	defer s.pending.Done()
	v, err := scanVersion(s.pool.QueryRow(ctx, "SELECT "+versionColumns+versionJoin+" WHERE v.arn = $1", arn))
	if err != nil {
		return store.StateMachineVersion{}, fmt.Errorf("get version %s: %w", arn, notFound(err))
	}
	return v, nil
}

// ListStateMachineVersions implements [store.Versions].
func (s *Store) ListStateMachineVersions(ctx context.Context, machineARN string, p store.Page) ([]store.StateMachineVersion, string, error) {
	before, err := store.DecodeTokenAfter(store.TokenVersions, p.NextToken, math.MaxInt64)
	if err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, err)
	}
	n := store.PageSize(p.MaxResults)
	out := []store.StateMachineVersion{}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var seq int64
		if err := tx.QueryRow(ctx, "SELECT seq FROM state_machines WHERE arn = $1", machineARN).Scan(&seq); err != nil {
			return notFound(err)
		}
		rows, err := tx.Query(ctx, "SELECT "+versionColumns+versionJoin+
			" WHERE v.machine_seq = $1 AND v.number < $2 ORDER BY v.number DESC LIMIT $3", seq, before, n+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = store.ScanAll(rows, func() (store.StateMachineVersion, error) { return scanVersion(rows) })
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("list versions %s: %w", machineARN, err)
	}
	page, next := store.CutPage(out, n, func(last store.StateMachineVersion) string {
		return store.EncodeToken(store.TokenVersions, last.Number)
	})
	return page, next, nil
}

// lockMachineOf locks the row of the machine of a version or alias
// (table names which) and returns the machine's seq and status.
func lockMachineOf(ctx context.Context, tx pgx.Tx, table, arn string) (int64, string, error) {
	var seq int64
	var status string
	err := tx.QueryRow(ctx, `SELECT m.seq, m.status FROM state_machines m JOIN `+table+` x ON x.machine_seq = m.seq
		WHERE x.arn = $1 FOR UPDATE OF m`, arn).Scan(&seq, &status)
	return seq, status, notFound(err)
}

// DeleteStateMachineVersion implements [store.Versions].
func (s *Store) DeleteStateMachineVersion(ctx context.Context, arn string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := lockMachineOf(ctx, tx, "state_machine_versions", arn); err != nil {
			return err
		}
		var routed bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM alias_routes WHERE version_arn = $1)", arn).Scan(&routed); err != nil {
			return err
		}
		if routed {
			return store.ErrVersionInUse
		}
		_, err := tx.Exec(ctx, "DELETE FROM state_machine_versions WHERE arn = $1", arn)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete version %s: %w", arn, err)
	}
	return nil
}

// checkRoutes checks that every route names a version of the machine seq.
func checkRoutes(ctx context.Context, tx pgx.Tx, seq int64, routes []store.Route) error {
	for _, r := range routes {
		var ok bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM state_machine_versions WHERE arn = $1 AND machine_seq = $2)",
			r.VersionARN, seq).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("version %s: %w", r.VersionARN, store.ErrNotFound)
		}
	}
	return nil
}

func putRoutes(ctx context.Context, tx pgx.Tx, aliasSeq int64, routes []store.Route) error {
	if _, err := tx.Exec(ctx, "DELETE FROM alias_routes WHERE alias_seq = $1", aliasSeq); err != nil {
		return err
	}
	for i, r := range routes {
		if _, err := tx.Exec(ctx, "INSERT INTO alias_routes (alias_seq, position, version_arn, weight) VALUES ($1, $2, $3, $4)",
			aliasSeq, i, r.VersionARN, r.Weight); err != nil {
			return err
		}
	}
	return nil
}

type seqAlias struct {
	seq int64
	a   store.StateMachineAlias
}

// readAliases reads the aliases a where clause selects, with their routes.
func readAliases(ctx context.Context, tx pgx.Tx, where string, args ...any) ([]seqAlias, error) {
	rows, err := tx.Query(ctx, `SELECT a.seq, a.arn, m.arn, a.name, a.description, a.creation_date, a.update_date
		FROM state_machine_aliases a JOIN state_machines m ON m.seq = a.machine_seq `+where, args...)
	if err != nil {
		return nil, err
	}
	var out []seqAlias
	for rows.Next() {
		var x seqAlias
		var created, updated int64
		if err := rows.Scan(&x.seq, &x.a.ARN, &x.a.StateMachineARN, &x.a.Name, &x.a.Description, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		x.a.CreationDate, x.a.UpdateDate = store.FromUnixNanos(created), store.FromUnixNanos(updated)
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		r, err := tx.Query(ctx, "SELECT version_arn, weight FROM alias_routes WHERE alias_seq = $1 ORDER BY position", out[i].seq)
		if err != nil {
			return nil, err
		}
		routes, err := pgx.CollectRows(r, func(row pgx.CollectableRow) (store.Route, error) {
			var rt store.Route
			err := row.Scan(&rt.VersionARN, &rt.Weight)
			return rt, err
		})
		if err != nil {
			return nil, err
		}
		out[i].a.Routing = routes
	}
	return out, nil
}

// CreateStateMachineAlias implements [store.Versions].
func (s *Store) CreateStateMachineAlias(ctx context.Context, a store.StateMachineAlias) (store.StateMachineAlias, error) {
	a.CreationDate = store.FromUnixNanos(store.UnixNanos(a.CreationDate))
	a.UpdateDate = a.CreationDate
	var existing store.StateMachineAlias
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var seq int64
		var status string
		if err := tx.QueryRow(ctx, "SELECT seq, status FROM state_machines WHERE arn = $1 FOR UPDATE", a.StateMachineARN).Scan(&seq, &status); err != nil {
			return notFound(err)
		}
		got, err := readAliases(ctx, tx, "WHERE a.arn = $1", a.ARN)
		if err != nil {
			return err
		}
		if len(got) > 0 {
			existing = got[0].a
			return store.ErrAlreadyExists
		}
		if status == string(store.StatusDeleting) {
			return store.ErrStateMachineDeleting
		}
		if err := checkRoutes(ctx, tx, seq, a.Routing); err != nil {
			return err
		}
		var count int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM state_machine_aliases WHERE machine_seq = $1", seq).Scan(&count); err != nil {
			return err
		}
		if count >= store.MaxAliases {
			return fmt.Errorf("%d aliases: %w", count, store.ErrQuotaExceeded)
		}
		var aliasSeq int64
		if err := tx.QueryRow(ctx, `INSERT INTO state_machine_aliases (machine_seq, arn, name, description, creation_date, update_date)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`, seq, a.ARN, a.Name, a.Description, store.UnixNanos(a.CreationDate),
			store.UnixNanos(a.UpdateDate)).Scan(&aliasSeq); err != nil {
			return err
		}
		return putRoutes(ctx, tx, aliasSeq, a.Routing)
	})
	if err != nil {
		return existing, fmt.Errorf("create alias %s: %w", a.ARN, err)
	}
	return a, nil
}

// GetStateMachineAlias implements [store.Versions].
func (s *Store) GetStateMachineAlias(ctx context.Context, arn string) (store.StateMachineAlias, error) {
	var list []seqAlias
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		list, err = readAliases(ctx, tx, "WHERE a.arn = $1", arn)
		return err
	})
	if err == nil && len(list) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("get alias %s: %w", arn, err)
	}
	return list[0].a, nil
}

// UpdateStateMachineAlias implements [store.Versions].
func (s *Store) UpdateStateMachineAlias(ctx context.Context, u store.AliasUpdate) (store.StateMachineAlias, error) {
	var a store.StateMachineAlias
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		machineSeq, status, err := lockMachineOf(ctx, tx, "state_machine_aliases", u.ARN)
		if err != nil {
			return err
		}
		list, err := readAliases(ctx, tx, "WHERE a.arn = $1", u.ARN)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return store.ErrNotFound
		}
		a = list[0].a
		if status == string(store.StatusDeleting) {
			return store.ErrStateMachineDeleting
		}
		if u.Routing != nil {
			if err := checkRoutes(ctx, tx, machineSeq, u.Routing); err != nil {
				return err
			}
			if err := putRoutes(ctx, tx, list[0].seq, u.Routing); err != nil {
				return err
			}
			a.Routing = append([]store.Route(nil), u.Routing...)
		}
		set(&a.Description, u.Description)
		a.UpdateDate = store.FromUnixNanos(store.UnixNanos(u.UpdateDate))
		_, err = tx.Exec(ctx, "UPDATE state_machine_aliases SET description = $1, update_date = $2 WHERE seq = $3",
			a.Description, store.UnixNanos(a.UpdateDate), list[0].seq)
		return err
	})
	if err != nil {
		return store.StateMachineAlias{}, fmt.Errorf("update alias %s: %w", u.ARN, err)
	}
	return a, nil
}

// DeleteStateMachineAlias implements [store.Versions].
func (s *Store) DeleteStateMachineAlias(ctx context.Context, arn string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := lockMachineOf(ctx, tx, "state_machine_aliases", arn); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM state_machine_aliases WHERE arn = $1", arn)
		return err
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
		return nil, "", fmt.Errorf("list aliases %s: %w", q.StateMachineARN, err)
	}
	n := store.PageSize(q.MaxResults)
	var list []seqAlias
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var seq int64
		if err := tx.QueryRow(ctx, "SELECT seq FROM state_machines WHERE arn = $1", q.StateMachineARN).Scan(&seq); err != nil {
			return notFound(err)
		}
		var err error
		list, err = readAliases(ctx, tx, `WHERE a.machine_seq = $1 AND a.seq > $2 AND ($3 = ''
			OR EXISTS (SELECT 1 FROM alias_routes r WHERE r.alias_seq = a.seq AND r.version_arn = $3)) ORDER BY a.seq LIMIT $4`,
			seq, after, q.VersionARN, n+1)
		return err
	})
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
