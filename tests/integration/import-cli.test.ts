// npm run import as operators run it: the original project's CSV with its
// legacy hashes right and wrong, re-imports, dry runs and exit codes.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { getDb } from "@/lib/platform/db/client";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { logsCollection } from "@/lib/records/logs/collection";
import { signedFieldsOf } from "@/lib/records/logs/record";
import { setupAppDatabase } from "./support/app-db";
import { runScript } from "./support/cli";
import { flaskCsv, FLASK_KEY, makeFlaskRow } from "./support/flask-csv";

setupAppDatabase("import_cli");

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-import-"));
let db: Db;
before(async () => {
  db = await getDb();
});

function writeFile(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const importedLogs = () =>
  logsCollection(db)
    .find({ source: { $ne: AUDIT_SOURCE } })
    .toArray();

describe("npm run import of the original project's CSV", () => {
  // Line 2, 3, 4, 5–6 (a quoted user spanning two lines), 7, 8, 9.
  const rows = [
    makeFlaskRow({ timestamp: "2024-03-13T09:15:27.123456Z", action: "login attempt", status: "failure" }),
    makeFlaskRow({ timestamp: "2024-03-13T09:16:00.654321" }),
    makeFlaskRow({ log_id: "" }),
    makeFlaskRow({ user: "carol\r\nsmith" }),
    makeFlaskRow({}, "another-key"),
    makeFlaskRow({ ip: "999.0.0.1" }),
    makeFlaskRow({ action: "login attempt" }),
  ];
  let file: string;

  it("imports the rows whose hash verifies or cannot be checked, refuses the others by line, and exits 1", async () => {
    file = writeFile("flask.csv", flaskCsv(rows));
    const result = runScript("import", file, "--legacy-key", FLASK_KEY, "--json");
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.dialect, "legacy_csv");
    assert.deepEqual([report.rows, report.imported, report.already_there, report.refused], [7, 5, 0, 2]);
    assert.deepEqual(report.legacy, { verified: 5, mismatched: 1, not_checkable: 1, unchecked: 0 });
    assert.deepEqual(
      report.refused_rows.map((row: { line: number; problems: { field: string }[] }) => [
        row.line,
        row.problems[0]!.field,
      ]),
      [
        [7, "log_hash"],
        [8, "ip"],
      ],
    );

    const stored = new Map((await importedLogs()).map((log) => [log._id, log]));
    assert.equal(stored.size, 5);
    const first = stored.get(rows[0]!.log_id)!;
    assert.deepEqual(
      [first.timestamp, first.action, first.status],
      ["2024-03-13T09:15:27.123456Z", "login_attempt", "failed"],
    );
    assert.deepEqual(first.metadata, {
      legacy_id: rows[0]!._id,
      legacy_log_hash: rows[0]!.log_hash,
      legacy_hash: "verified",
    });
    assert.equal(stored.get(rows[1]!.log_id)!.timestamp, "2024-03-13T09:16:00.654321Z");
    assert.equal(stored.get(`legacy-${rows[2]!._id}`)!.metadata!.legacy_hash, "not_checkable");
    assert.equal(stored.get(rows[3]!.log_id)!.user, "carol\r\nsmith");
    assert.ok(!stored.has(rows[4]!.log_id) && !stored.has(rows[5]!.log_id));
    for (const log of stored.values())
      assert.equal(verifyLogMac({ ...signedFieldsOf(log), mac: log.mac }, getKeyring()), "valid");
    assert.deepEqual(new Set([...stored.values()].map((log) => log.ingested_by)), new Set(["cli:import"]));
  });

  it("stores nothing twice when the same file is imported again, and lists refused rows by line", async () => {
    const again = runScript("import", file, "--legacy-key", FLASK_KEY);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stdout, /^line 7: log_hash does not match the HMAC/m);
    assert.match(again.stdout, /^line 8: ip must be an IPv4 or IPv6 address/m);
    assert.match(
      again.stdout,
      /Imported 0 logs, 5 already there, 2 refused \(legacy hashes: 5 verified, 1 mismatched, 1 not checkable\)\./,
    );
    assert.equal((await importedLogs()).length, 5);
    const audit = await logsCollection(db).find({ action: "logs_imported" }).toArray();
    assert.deepEqual(audit.map((log) => [log.user, log.metadata?.imported, log.metadata?.already_there]).sort(), [
      ["cli", 0, 5],
      ["cli", 5, 0],
    ]);
  });

  it("exits 0 when every row is imported, taking the key from LEDGERLINE_LEGACY_KEY", async () => {
    const clean = writeFile("clean.csv", flaskCsv([makeFlaskRow(), makeFlaskRow({ log_id: "" })]));
    process.env.LEDGERLINE_LEGACY_KEY = FLASK_KEY;
    try {
      const result = runScript("import", clean, "--json");
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.deepEqual(JSON.parse(result.stdout).legacy, {
        verified: 1,
        mismatched: 0,
        not_checkable: 1,
        unchecked: 0,
      });
    } finally {
      delete process.env.LEDGERLINE_LEGACY_KEY;
    }
  });

  it("only reports with --dry-run: nothing is stored, and a row that would be refused still exits 1", async () => {
    const before = (await importedLogs()).length;
    const fresh = writeFile("fresh.csv", flaskCsv([makeFlaskRow(), makeFlaskRow(), makeFlaskRow({ status: "maybe" })]));
    const result = runScript("import", fresh, "--dry-run", "--legacy-key", FLASK_KEY);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^line 4: status must be 'success' or 'failed'/m);
    assert.match(result.stdout, /Dry run: 3 rows read, 2 would be imported, 1 refused; nothing was stored/);
    assert.equal((await importedLogs()).length, before);
    assert.equal(await logsCollection(db).countDocuments({ action: "logs_imported" }), 3);
  });

  it("exits 2 on bad usage and on files it cannot read", () => {
    const unknownHeader = writeFile("other.csv", "when,who\r\n1,2\r\n");
    const latin1 = path.join(dir, "latin1.csv");
    writeFileSync(latin1, Buffer.from([0x6c, 0x6f, 0x67, 0x5f, 0x69, 0x64, 0xe9, 0x0a]));
    const cases: [string[], RegExp][] = [
      [[], /name one file to import/],
      [[path.join(dir, "missing.csv")], /no such file/],
      [[dir], /not a file/],
      [[unknownHeader, "--format", "xml"], /--format: must be csv, ndjson, json or syslog/],
      [[unknownHeader], /neither the original project's .* unknown columns when, who/],
      [[latin1], /not UTF-8 text/],
      [[unknownHeader, "--frobnicate"], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const result = runScript("import", ...args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
