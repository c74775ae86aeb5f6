package main

// FerretDB v1 looks a document up by _id with `WHERE _ferretdb_sjson->'$._id' = ?`
// (also for updates and deletes), but indexes _id on `_ferretdb_sjson->"_id"`.
// SQLite matches index expressions by their text, so every such lookup reads the
// whole table. An index on FerretDB's exact lookup expression lets SQLite seek
// instead: findOne by a string _id at 100,000 documents goes from ~400 ms to
// ~1.5 ms. The index is invisible to FerretDB (its metadata does not list it)
// and SQLite keeps it up to date; dropping the collection drops it.

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
	idIndexSuffix   = "_ledgerline_id_lookup"
	idIndexInterval = 500 * time.Millisecond
)

// Collections that still lack the lookup index: FerretDB's metadata table lists
// every collection's table.
const missingIDIndexes = `SELECT table_name FROM _ferretdb_collections c
WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '` + idIndexSuffix + `')`

// indexIDLookups adds the lookup index to every collection of every database in
// dataDir that lacks it, and returns how many it added.
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
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
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

func missingTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, missingIDIndexes)
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
