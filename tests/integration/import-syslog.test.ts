// npm run import of an auth.log as operators run it: BSD times given the
// file's year and the zone named by --tz, skipped lines counted, re-imports.
import assert from "node:assert/strict";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { setupAppDatabase } from "./support/app-db";
import { runScript } from "./support/cli";

setupAppDatabase("import_syslog");

const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-import-syslog-"));
let db: Db;
before(async () => {
  db = await getDb();
});

/** An auth.log last written on 2026-01-01, as logrotate leaves auth.log.1, ending with a line that is not UTF-8. */
function writeAuthLog(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from(`${lines.join("\n")}\n`),
      Buffer.from("Jan  1 00:00:10 bastion logger: \xff\n", "latin1"),
    ]),
  );
  const writtenAt = new Date("2026-01-01T00:00:30Z");
  utimesSync(file, writtenAt, writtenAt);
  return file;
}

const LINES = [
  "Dec 31 23:59:50 bastion sshd[501]: Invalid user oracle from 198.51.100.23 port 50100",
  "Dec 31 23:59:50 bastion sshd[501]: Failed password for invalid user oracle from 198.51.100.23 port 50100 ssh2",
  "Dec 31 23:59:58 bastion sshd[501]: message repeated 2 times: [ Failed password for invalid user oracle from 198.51.100.23 port 50100 ssh2]",
  "Jan  1 00:00:05 bastion sshd[777]: Accepted publickey for deploy from 10.0.0.9 port 41000 ssh2: ED25519 SHA256:zz",
  "Jan  1 00:00:05 bastion sshd[777]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)",
  "Jan  1 00:00:07 bastion su[900]: FAILED SU (to root) deploy on pts/1",
  "Jan  1 00:00:09 bastion CRON[800]: pam_unix(cron:session): session closed for user root",
];

describe("npm run import of syslog lines", () => {
  it("imports each attempt with the year of the file's modification time, and counts skipped lines by reason", async () => {
    const file = writeAuthLog("auth.log", LINES);
    const result = runScript("import", file, "--json");
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      [report.format, report.dialect, report.rows, report.imported, report.refused, report.skipped],
      ["syslog", "syslog", 5, 5, 0, 4],
    );
    assert.deepEqual(report.skipped_reasons, { same_attempt: 1, no_security_event: 3 });
    const stored = await logsCollection(db).find({ source: "bastion" }).sort({ timestamp: 1 }).toArray();
    assert.deepEqual(
      stored.map((log) => [log.timestamp, log.user, log.status]),
      [
        ["2025-12-31T23:59:50.000Z", "oracle", "failed"],
        ["2025-12-31T23:59:58.000Z", "oracle", "failed"],
        ["2025-12-31T23:59:58.000Z", "oracle", "failed"],
        ["2026-01-01T00:00:05.000Z", "deploy", "success"],
        ["2026-01-01T00:00:07.000Z", "deploy", "failed"],
      ],
    );
    assert.ok(stored.every((log) => log.ingested_by === "cli:import"));

    const again = runScript("import", file);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /Imported 0 logs, 5 already there, 0 refused; 4 lines skipped \(1 same attempt, 3 no security event\)\./,
    );
  });

  it("reads the times in the zone --tz names, and refuses a line by its number without stopping", async () => {
    const file = writeAuthLog("paris.log", [
      "Jul 14 12:00:00 paris-gw sshd[9]: Failed password for root from 203.0.113.50 port 6000 ssh2",
      "2099-07-14T12:00:01Z paris-gw sshd[9]: Accepted password for root from 203.0.113.50 port 6001 ssh2",
    ]);
    const result = runScript("import", file, "--format", "syslog", "--tz", "Europe/Paris", "--json");
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      [report.imported, report.refused, report.refused_rows[0].line, report.refused_rows[0].problems[0].field],
      [1, 1, 2, "timestamp"],
    );
    assert.equal((await logsCollection(db).findOne({ source: "paris-gw" }))?.timestamp, "2025-07-14T10:00:00.000Z");
  });

  it("exits 2 naming --tz for a zone it does not know", () => {
    const result = runScript("import", writeAuthLog("x.log", LINES), "--tz", "Mars/Olympus");
    assert.equal(result.code, 2);
    assert.match(result.stderr, /tz/);
  });
});
