package main

// FerretDB v1 looks a document up by _id with `WHERE _ferretdb_sjson->'$._id' = ?`
// (also for updates and deletes), but creates its unique _id index on
// `_ferretdb_sjson->"_id"`. SQLite matches an index to a query by the text of
// its expression, so that index never serves a lookup and every one reads the
// whole table. The launcher rebuilds each collection's _id index, under the
// same name and still unique, on the expression the lookups use: both
// expressions give the same value, so uniqueness is unchanged, FerretDB (which
// knows the index by name) sees no difference, and a lookup by a string _id at
// 100,000 documents takes ~1 ms instead of ~400 ms.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

const (
	// FerretDB names a collection's _id index "<table>__id_" and this is the expression its lookups use.
	idIndexSuffix    = "__id_"
	lookupExpression = "_ferretdb_sjson->'$._id'"
	idIndexInterval  = 500 * time.Millisecond
)

// The collections whose _id index is not yet on the lookup expression.
const idIndexesToRebuild = `SELECT c.table_name FROM _ferretdb_collections c
JOIN sqlite_master m ON m.type = 'index' AND m.name = c.table_name || '` + idIndexSuffix + `'
WHERE instr(m.sql, ?) = 0`

// indexIDLookups rebuilds the _id index of every collection of every database
// in dataDir whose index is not on the lookup expression yet, and returns how
// many it rebuilt.
func indexIDLookups(ctx context.Context, dataDir string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dataDir, "*.sqlite"))
	if err != nil {
		return 0, err
	}
	added := 0
	for _, file := range files {
		n, err := indexDatabase(ctx, file)
		added += n
		if err != nil {
			return added, fmt.Errorf("%s: %w", filepath.Base(file), err)
		}
	}
	return added, nil
}

func indexDatabase(ctx context.Context, file string) (int, error) {
	// mode=rw: a database that FerretDB dropped meanwhile is not created again.
	// Opened per pass, never kept: a dropped and re-created database is a new file.
	uri := (&url.URL{Scheme: "file", Opaque: file, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}).String()
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return 0, err
	}
	defer db.Close()

	tables, err := missingTables(ctx, db)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, table := range tables {
		if err := rebuildIDIndex(ctx, db, table); err != nil {
			// The collection was dropped since it was listed: nothing to index.
			if stillListed, _ := isListed(ctx, db, table); !stillListed {
				continue
			}
			return added, err
		}
		added++
	}
	return added, nil
}

// rebuildIDIndex replaces the index in one transaction: no write sees the table without it.
func rebuildIDIndex(ctx context.Context, db *sql.DB, table string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	name := table + idIndexSuffix
	for _, q := range []string{
		fmt.Sprintf(`DROP INDEX %q`, name),
		fmt.Sprintf(`CREATE UNIQUE INDEX %q ON %q (%s)`, name, table, lookupExpression),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func missingTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, idIndexesToRebuild, lookupExpression)
	if err != nil {
		// A database file FerretDB has created but not yet given its metadata table.
		if ready, _ := hasMetadata(ctx, db); !ready {
			return nil, nil
		}
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, err
		}
		tables = append(tables, table)
	}
	return tables, rows.Err()
}

func isListed(ctx context.Context, db *sql.DB, table string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM _ferretdb_collections WHERE table_name = ?`, table).Scan(&n)
	return n > 0, err
}

func hasMetadata(ctx context.Context, db *sql.DB) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`).Scan(&n)
	return n > 0, err
}

// keepIDLookupsIndexed indexes new collections shortly after FerretDB creates
// them, until ctx ends. A failed pass is logged and tried again.
func keepIDLookupsIndexed(ctx context.Context, dataDir string, logger *slog.Logger) {
	ticker := time.NewTicker(idIndexInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if _, err := indexIDLookups(ctx, dataDir); err != nil && ctx.Err() == nil {
				logger.Warn("indexing _id lookups", slog.String("error", err.Error()))
			}
		}
	}
}
