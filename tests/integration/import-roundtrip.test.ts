// Our own exports read back: CSV and NDJSON export → wiped store → import →
// the same logs; importing into the store they came from stores nothing
// twice; a row the store cannot take is refused alone, by line.
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getDb } from "@/lib/platform/db/client";
import { importLogs, type ImportOptions } from "@/lib/features/import/import-logs";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { logsCollection } from "@/lib/records/logs/collection";
import { exportChunks } from "@/lib/features/explorer/export-stream";
import { parseLogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { signedFieldsOf, type StoredLog } from "@/lib/records/logs/record";
import { resetLogStore } from "@/lib/ledger/reset";
import type { LogInput } from "@/lib/records/logs/schemas";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInput, makeLogInputs } from "./support/log-inputs";

setupAppDatabase("import_roundtrip");

const SKEW_MS = 300_000;
let db: Db;
before(async () => {
  db = await getDb();
});

const ingest = (inputs: Record<string, unknown>[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: SKEW_MS, ingestedBy: "cli:test" });
const importText = (text: string, options: Partial<ImportOptions> = {}) =>
  importLogs(db, Readable.from([Buffer.from(text)]), {
    keyring: getKeyring(),
    maxFutureSkewMs: SKEW_MS,
    ingestedBy: "cli:test",
    ...options,
  });

async function exportText(format: "csv" | "ndjson"): Promise<string> {
  let text = "";
  const filter = parseLogFilter(new URLSearchParams({ format, sort: "asc" }), new Date());
  for await (const chunk of exportChunks(db, filter, {
    publicKeys: getCheckpointSigner().publicKeys(),
    maxFutureSkewMs: SKEW_MS,
  }))
    text += chunk;
  return text;
}

async function storedById(): Promise<Map<string, StoredLog>> {
  return new Map(
    (
      await logsCollection(db)
        .find({ source: { $ne: "ledgerline" } })
        .toArray()
    ).map((log) => [log._id, log]),
  );
}

/** What a log says, with its time as an instant (our CSV carries the UTC time, not the text as sent). */
const gist = (log: StoredLog) => [
  log.time.getTime(),
  log.ip,
  log.user,
  log.action,
  log.status,
  log.source,
  log.message,
  log.metadata,
];

describe("round trips of our own exports", () => {
  let original: Map<string, StoredLog>;
  let csv: string;
  let ndjson: string;

  before(async () => {
    await ingest([
      ...makeLogInputs(20, { source: "auth-1" }),
      makeLogInput({
        message: "=cmd|' /C calc'!A0",
        user: "-mallory",
        action: "@sum",
        metadata: { delta: -1, ok: true, note: "'=x", ünï: "çødé" },
      }),
      makeLogInput({ timestamp: "2026-01-01T12:00:00.123456+02:00", message: 'line one\r\nline two, "quoted"' }),
      makeLogInput({ timestamp: undefined, source: "no-clock" }),
      makeLogInput({ ip: "2001:db8::1", metadata: {} }),
    ]);
    original = await storedById();
    csv = await exportText("csv");
    ndjson = await exportText("ndjson");
  });

  it("importing either export into the store it came from finds every log already there", async () => {
    for (const [format, text] of [
      ["csv", csv],
      ["ndjson", ndjson],
    ] as const) {
      const report = await importText(text, { format });
      assert.deepEqual([report.rows, report.imported, report.already_there, report.refused], [24, 0, 24, 0], format);
    }
    assert.equal((await storedById()).size, 24);
  });

  it("NDJSON export → wiped store → import gives back the same logs, timestamps as sent, newly signed", async () => {
    await resetLogStore(db, CLI_ACTOR);
    const report = await importText(ndjson, { fileName: "ledgerline-logs-all-time.ndjson" });
    assert.equal(report.format, "ndjson");
    assert.deepEqual([report.imported, report.refused], [24, 0]);
    assert.ok(report.skipped >= 2, "the export header and key lines are skipped");
    const imported = await storedById();
    for (const [id, log] of original) {
      const back = imported.get(id)!;
      assert.deepEqual([back.timestamp, ...gist(back)], [log.timestamp, ...gist(log)], id);
      assert.equal(verifyLogMac({ ...signedFieldsOf(back), mac: back.mac }, getKeyring()), "valid");
    }
  });

  it("CSV export → wiped store → import gives back the same logs, and a second import stores nothing", async () => {
    await resetLogStore(db, CLI_ACTOR);
    const first = await importText(csv, { fileName: "export.csv" });
    assert.deepEqual([first.dialect, first.imported, first.refused], ["ledgerline_csv", 24, 0]);
    const imported = await storedById();
    for (const [id, log] of original) assert.deepEqual(gist(imported.get(id)!), gist(log), id);

    const again = await importText(csv, { fileName: "export.csv" });
    assert.deepEqual([again.imported, again.already_there, again.refused], [0, 24, 0]);
    assert.equal((await storedById()).size, 24);
  });
});

describe("rows a batch cannot take", () => {
  it("are refused alone, by line: a log_id stored with other content, used twice in the file, or a timestamp ahead of the clock", async () => {
    const [stored] = makeLogInputs(1, { log_id: "conflict-1" });
    await ingest([stored!]);
    const first = makeLogInput({ log_id: "conflict-0" });
    const rows = [
      first,
      { ...stored!, user: "mallory" },
      makeLogInput({ log_id: "conflict-2" }),
      { ...first, user: "someone-else" },
      makeLogInput({ log_id: "conflict-3", timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
      first,
    ];
    for (const batchSize of [500, 2]) {
      await logsCollection(db).deleteMany({ _id: { $in: ["conflict-0", "conflict-2"] } });
      const report = await importText(rows.map((row) => JSON.stringify(row)).join("\n"), {
        format: "ndjson",
        batchSize,
      });
      assert.deepEqual([report.imported, report.already_there, report.refused], [2, 1, 3], `batch size ${batchSize}`);
      const refused = report.refused_rows.map(
        (row) => `${row.line} ${row.problems[0]!.field} ${row.problems[0]!.message}`,
      );
      assert.equal(refused[0], "2 log_id 'conflict-1' is already stored with different content, by this same sender");
      // In one batch the repeat is seen in the file; across batches, in the store.
      assert.equal(
        refused[1],
        batchSize === 500
          ? "4 log_id 'conflict-0' is also used on line 1 with different content"
          : "4 log_id 'conflict-0' is already stored with different content, by this same sender",
      );
      assert.match(refused[2]!, /^5 timestamp is more than 300 seconds ahead of the server clock/);
    }
    assert.equal((await logsCollection(db).findOne({ _id: "conflict-1" }))!.user, stored!.user);
  });

  it("a file imported again, whose batches look their rows up first (the first one once a sample shows it stored), gets the same verdicts and burns no sequence numbers", async () => {
    const stored = makeLogInputs(6);
    await ingest(stored);
    const { timestamp: _defaulted, ...withoutTime } = makeLogInput({ log_id: "again-defaulted" });
    await ingest([withoutTime]); // stored by a service; an import cannot take it without a time
    const rows = [
      ...stored.slice(0, 4), // batch 1: its sample all there, so it looks first, and so does batch 2
      stored[4]!,
      { ...stored[5]!, message: "edited" },
      { ...stored[0]!, timestamp: new Date(stored[0]!.timestamp as string).toISOString().replace("Z", "+00:00") },
      withoutTime,
      makeLogInput({ log_id: "again-new" }),
    ];
    const sequenceBefore = (await logsCollection(db).find().sort({ sequence: -1 }).limit(1).toArray())[0]!.sequence;
    const report = await importText(rows.map((row) => JSON.stringify(row)).join("\n"), {
      format: "ndjson",
      batchSize: 4,
    });
    assert.deepEqual([report.imported, report.already_there, report.refused], [1, 6, 2]);
    assert.deepEqual(report.refused_rows, [
      {
        line: 6,
        problems: [
          {
            field: "log_id",
            message: `'${stored[5]!.log_id}' is already stored with different content, by this same sender`,
          },
        ],
      },
      {
        line: 8,
        problems: [{ field: "timestamp", message: "is required (an import has no receive time to use instead)" }],
      },
    ]);
    const newLog = await logsCollection(db).findOne({ _id: "again-new" });
    assert.equal(newLog!.sequence, sequenceBefore + 1, "only the new log reserved a number");
  });

  it("a dry run reads and checks every row but stores nothing", async () => {
    const before = await logsCollection(db).countDocuments();
    const report = await importText(JSON.stringify(makeLogInputs(3)), { dryRun: true, actor: CLI_ACTOR });
    assert.deepEqual([report.format, report.dry_run, report.rows, report.imported], ["json", true, 3, 3]);
    assert.equal(await logsCollection(db).countDocuments(), before);
  });
});
