// Command embedded-db runs FerretDB v1 (MongoDB wire protocol) on its SQLite
// backend for local development and tests. It binds to loopback only: the
// embedded server has no authentication.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "loopback address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data-dir", ".data/db", "folder for the SQLite database files")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	flag.Parse()

	tuneGarbageCollector()
	if err := run(*listen, *dataDir, *logLevel); err != nil {
		fmt.Fprintln(os.Stderr, "embedded-db:", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q: only loopback addresses are allowed (the server has no authentication)", listen)
	}

	absDir, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(absDir, 0o700); err != nil {
		return fmt.Errorf("--data-dir: %w", err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// synchronous(full): an acknowledged write is on disk before the reply.
	sqliteURL := "file:" + filepath.ToSlash(absDir) + "/?_pragma=synchronous(full)"

	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Collections made by earlier runs are indexed before the server is ready.
	started := time.Now()
	if added, err := indexIDLookups(ctx, absDir); err != nil {
		return fmt.Errorf("indexing _id lookups: %w", err)
	} else if took := time.Since(started); took > time.Second {
		fmt.Fprintf(os.Stderr, "embedded-db: indexed _id lookups of %d collections in %.1f s\n", added, took.Seconds())
	}
	go keepIDLookupsIndexed(ctx, absDir, logger)

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	// MongoDBURI blocks until the listener is bound, so this line doubles as the
	// readiness signal that scripts wait for.
	ready, _ := json.Marshal(map[string]string{"uri": db.MongoDBURI(), "data_dir": absDir})
	fmt.Println(string(ready))

	return <-done
}

// FerretDB allocates heavily for every command (each document is decoded from
// JSON into Go values), and with Go's default GOGC of 100 about a third of the
// server's CPU went to garbage collection. Collecting when the heap has grown
// fivefold instead cut the server's CPU per _id lookup by about 40 % and per
// inserted log by about 25 % (docs/embedded-database.md); the soft memory
// limit makes the collector work harder before the heap passes 1 GiB. GOGC and
// GOMEMLIMIT in the environment still win.
func tuneGarbageCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
