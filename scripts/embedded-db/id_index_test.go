package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// FerretDB v1.24.2's SQLite backend selects a document by a lone string _id with
// this predicate (metadata.IDColumn in internal/backends/sqlite), for find,
// update and delete alike.
const ferretIDLookup = `SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`

func startFerretDB(t *testing.T, dataDir string) *mongo.Database {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	server, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dataDir) + "/",
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = server.Run(ctx); close(done) }()
	client, err := mongo.Connect(ctx, options.Client().ApplyURI(server.MongoDBURI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = client.Disconnect(context.Background())
		cancel()
		<-done
	})
	return client.Database("probe")
}

func insertDocs(t *testing.T, db *mongo.Database, collection string, n int) {
	t.Helper()
	docs := make([]any, n)
	for i := range docs {
		docs[i] = bson.M{"_id": fmt.Sprintf("log-%d", i), "n": i}
	}
	if _, err := db.Collection(collection).InsertMany(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
}

// lookupPlan is SQLite's plan for FerretDB's _id lookup in a collection, read on a fresh connection.
func lookupPlan(t *testing.T, dataDir, collection string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "probe.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("EXPLAIN QUERY PLAN "+fmt.Sprintf(ferretIDLookup, table), `"log-7"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var details []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		details = append(details, detail)
	}
	return strings.Join(details, "\n")
}

func TestIndexIDLookupsLetsSQLiteSeekInsteadOfScan(t *testing.T) {
	dataDir := t.TempDir()
	db := startFerretDB(t, dataDir)
	insertDocs(t, db, "logs", 100)
	insertDocs(t, db, "other", 10)

	if plan := lookupPlan(t, dataDir, "logs"); !strings.Contains(plan, "SCAN") {
		t.Fatalf("FerretDB's own _id index was expected not to serve its lookups, plan:\n%s", plan)
	}
	added, err := indexIDLookups(context.Background(), dataDir)
	if err != nil || added != 2 {
		t.Fatalf("indexIDLookups = %d, %v; want 2 collections indexed", added, err)
	}
	if plan := lookupPlan(t, dataDir, "logs"); !strings.Contains(plan, "SEARCH") || !strings.Contains(plan, idIndexSuffix) {
		t.Fatalf("the lookup does not use the index, plan:\n%s", plan)
	}
	if added, err := indexIDLookups(context.Background(), dataDir); err != nil || added != 0 {
		t.Fatalf("a second pass = %d, %v; want nothing to do", added, err)
	}

	// Writes and reads through FerretDB go on as before.
	ctx := context.Background()
	if _, err := db.Collection("logs").UpdateOne(ctx, bson.M{"_id": "log-7"}, bson.M{"$set": bson.M{"n": -7}}); err != nil {
		t.Fatal(err)
	}
	var doc struct{ N int }
	if err := db.Collection("logs").FindOne(ctx, bson.M{"_id": "log-7"}).Decode(&doc); err != nil || doc.N != -7 {
		t.Fatalf("findOne after update = %+v, %v", doc, err)
	}
	if _, err := db.Collection("logs").InsertOne(ctx, bson.M{"_id": "log-7"}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("a duplicate _id insert = %v; want a duplicate key error", err)
	}
	if err := db.Collection("other").Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := indexIDLookups(ctx, dataDir); err != nil {
		t.Fatalf("after a drop: %v", err)
	}
}

func TestIndexIDLookupsLeavesOtherFilesAlone(t *testing.T) {
	dataDir := t.TempDir()
	// An SQLite file without FerretDB's metadata table, as one being created looks.
	empty := filepath.Join(dataDir, "new.sqlite")
	db, err := sql.Open("sqlite", "file:"+empty)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE unrelated (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if added, err := indexIDLookups(context.Background(), dataDir); err != nil || added != 0 {
		t.Fatalf("indexIDLookups = %d, %v; want nothing done", added, err)
	}
	if err := os.Remove(empty); err != nil {
		t.Fatal(err)
	}
	// mode=rw: a database dropped between the listing and the pass is not created again.
	if added, _ := indexDatabase(context.Background(), empty); added != 0 {
		t.Fatal("indexDatabase indexed a removed file")
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Fatal("the removed database file was created again")
	}
}
