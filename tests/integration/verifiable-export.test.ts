// The verifiable NDJSON export and the offline verifier: an export of stored
// logs verifies with the public key alone, and every edit of the file is found.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as exportRoute from "@/app/api/logs/export/route";
import { flushAuditEvents } from "@/lib/records/audit/access-audit";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { verifiableExport } from "@/lib/records/integrity/export";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { verifyExport } from "@/lib/records/integrity/verify-export";
import { logsCollection } from "@/lib/records/logs/collection";
import { parseExportSelection } from "@/lib/records/logs/export-selection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("verifiable_export");

const HOUR = 3_600_000;
const SKEW_MS = 300_000;
const now = Date.now();
const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const keys = () => ({ publicKeys: publicKeySetFromSigner(getCheckpointSigner()), keyring: null });
const withKeyring = () => ({ ...keys(), keyring: getKeyring() });

let db: Db;

// History: checkpoint 1 (created 3 h ago) over 6 old logs; checkpoint 2 (created
// now) over 6 logs of the last half hour (metadata env prod, dev, prod, …) and
// 2 late ones stamped 5 h ago; then 3 pending logs of the last minutes.
before(async () => {
  db = await getDb();
  const ingest = (inputs: Record<string, unknown>[]) =>
    ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: SKEW_MS, ingestedBy: "cli:test" });
  const checkpoint = (created: Date) =>
    writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000, now: created });
  await ingest(makeLogInputs(6, { timestamp: at(-4 * HOUR) }));
  await checkpoint(new Date(now - 3 * HOUR));
  const recent = makeLogInputs(6, { timestamp: at(-30 * 60_000) }).map((input, index) => ({
    ...input,
    metadata: { env: index % 2 === 0 ? "prod" : "dev" },
  }));
  await ingest([...recent, ...makeLogInputs(2, { timestamp: at(-5 * HOUR), user: "late" })]);
  await checkpoint(new Date(now));
  await ingest(makeLogInputs(3, { timestamp: at(-60_000) }));
});

async function exportLines(query = ""): Promise<string[]> {
  const lines: string[] = [];
  const selection = parseExportSelection(query);
  for await (const line of verifiableExport(db, selection, {
    publicKeys: getCheckpointSigner().publicKeys(),
    maxFutureSkewMs: SKEW_MS,
  })) {
    lines.push(JSON.stringify(line));
  }
  return lines;
}

const typeOf = (line: string) => (JSON.parse(line) as { type: string }).type;
const kinds = (report: { problems: { kind: string; sequence?: number; checkpoint?: number }[] }) =>
  report.problems.map((p) => [p.kind, p.sequence ?? p.checkpoint ?? null]);
const lineIndexOf = (lines: string[], predicate: (line: Record<string, unknown>) => boolean) =>
  lines.findIndex((line) => predicate(JSON.parse(line)));

describe("a full export", () => {
  it("verifies with the public key alone, and with the keyring checks every MAC", async () => {
    const lines = await exportLines();
    assert.deepEqual(lines.map(typeOf), [
      "export",
      "key",
      "checkpoint",
      ...Array(6).fill("log"),
      "checkpoint",
      ...Array(8).fill("log"),
      ...Array(3).fill("log"),
    ]);

    const offline = await verifyExport(lines, keys());
    assert.deepEqual(offline.problems, []);
    assert.equal(offline.ok, true);
    assert.deepEqual(
      [offline.checked, offline.valid, offline.pending, offline.checkpoints, offline.omitted],
      [17, 14, 3, 2, 0],
    );
    assert.equal(offline.macs_checked, false);
    assert.deepEqual(offline.complete_for, { from_sequence: 1, to_sequence: 14 });

    const full = await verifyExport(lines, withKeyring());
    assert.equal(full.ok, true);
    assert.equal(full.valid, 17);
  });

  it("verifies with the export's own key lines, saying so", async () => {
    const report = await verifyExport(await exportLines(), { keyring: null });
    assert.equal(report.ok, true);
    assert.equal(report.keys_from, "export");
  });
});

describe("a time-ranged export", () => {
  it("holds the matching logs, the others of the same ranges as hashes, and the anchor checkpoint before them", async () => {
    const lines = await exportLines(`from=${encodeURIComponent(at(-HOUR))}`);
    const header = JSON.parse(lines[0]!);
    assert.equal(header.first_checkpoint, 2);
    assert.equal(header.last_checkpoint, 2);
    // Anchor (checkpoint 1, without its range), checkpoint 2 with 6 matching logs and 2 late ones omitted, 3 pending.
    assert.deepEqual(lines.slice(2).map(typeOf), [
      "checkpoint",
      "checkpoint",
      ...Array(6).fill("log"),
      "omitted",
      "omitted",
      ...Array(3).fill("log"),
    ]);
    const omitted = JSON.parse(lines[lines.length - 4]!);
    assert.equal(omitted.user, "late");
    assert.equal(omitted.message, undefined);
    assert.match(omitted.content_digest, /^[0-9a-f]{64}$/);

    const report = await verifyExport(lines, keys());
    assert.deepEqual(report.problems, []);
    assert.deepEqual([report.checked, report.valid, report.omitted, report.pending], [9, 6, 2, 3]);
    assert.deepEqual(report.complete_for, { from_sequence: 7, to_sequence: 14 });
  });

  it("includes every range when the earliest checkpoint is too recent to be an anchor", async () => {
    const lines = await exportLines(`from=${encodeURIComponent(at(-3 * HOUR - SKEW_MS / 2))}`);
    assert.equal(JSON.parse(lines[0]!).first_checkpoint, 1);
    assert.equal((await verifyExport(lines, keys())).ok, true);
  });
});

describe("an export filtered by metadata", () => {
  const from = `from=${encodeURIComponent(at(-HOUR))}`;

  it("holds the logs with the metadata value, the others as omitted lines, and verifies", async () => {
    const lines = await exportLines(`${from}&meta.env=prod`);
    assert.match(JSON.parse(lines[0]!).filter, /&meta\.env=prod$/);
    assert.deepEqual(lines.slice(2).map(typeOf), [
      "checkpoint",
      "checkpoint",
      "log",
      "omitted",
      "log",
      "omitted",
      "log",
      "omitted",
      "omitted",
      "omitted",
    ]);
    const report = await verifyExport(lines, keys());
    assert.deepEqual(report.problems, []);
    assert.deepEqual([report.checked, report.omitted], [3, 5]);
  });

  it("leaves out the excluded ones without the verifier taking them for deleted logs, since an omitted line shows no metadata", async () => {
    const lines = await exportLines(`${from}&exclude_meta.env=prod`);
    // Checkpoint 2's range: prod omitted, dev kept; the late logs are before `from`; the pending ones have no metadata.
    assert.deepEqual(lines.slice(2).map(typeOf), [
      "checkpoint",
      "checkpoint",
      "omitted",
      "log",
      "omitted",
      "log",
      "omitted",
      "log",
      "omitted",
      "omitted",
      "log",
      "log",
      "log",
    ]);
    const report = await verifyExport(lines, keys());
    assert.deepEqual(report.problems, []);
    assert.deepEqual([report.checked, report.omitted, report.pending], [6, 5, 3]);
  });

  it("still finds a log left out by an exclusion of a field the omitted line shows", async () => {
    const lines = await exportLines(`${from}&exclude_user=late&exclude_status=failed`);
    const index = lineIndexOf(lines, (l) => l.type === "log" && l.status === "success" && Number(l.sequence) < 13);
    const {
      type: _type,
      log_id: _id,
      message: _m,
      metadata: _md,
      key_id: _k,
      mac: _mac,
      ...summary
    } = JSON.parse(lines[index]!);
    lines[index] = JSON.stringify({ type: "omitted", ...summary, content_digest: "0".repeat(64) });
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [
      ["deleted", summary.sequence],
      ["edited", 2],
    ]);
  });
});

describe("an export edited after the fact", () => {
  it("one log line edited: the range's root fails without the keyring, the MAC pinpoints it with the keyring", async () => {
    const lines = await exportLines();
    const index = lineIndexOf(lines, (l) => l.type === "log" && l.sequence === 4);
    lines[index] = lines[index]!.replace(/"user":"[^"]*"/, '"user":"mallory"');
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [["edited", 1]]);
    const withMacs = await verifyExport(lines, withKeyring());
    assert.deepEqual(kinds(withMacs), [["edited", 4]]);
    assert.equal(withMacs.problems[0]!.line, index + 1);
  });

  it("one log line removed", async () => {
    const lines = await exportLines();
    lines.splice(
      lineIndexOf(lines, (l) => l.sequence === 9 && l.type === "log"),
      1,
    );
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [["deleted", 9]]);
  });

  it("the last lines of a range removed", async () => {
    const lines = await exportLines();
    const first = lineIndexOf(lines, (l) => l.sequence === 13);
    lines.splice(first, 2);
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [
      ["deleted", 13],
      ["deleted", 14],
    ]);
  });

  it("two log lines swapped", async () => {
    const lines = await exportLines();
    const index = lineIndexOf(lines, (l) => l.sequence === 2);
    [lines[index], lines[index + 1]] = [lines[index + 1]!, lines[index]!];
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [["reordered", 2]]);
  });

  it("two logs' positions swapped (sequences exchanged)", async () => {
    const lines = await exportLines();
    const a = lineIndexOf(lines, (l) => l.sequence === 2);
    const swapSequence = (line: string, sequence: number) => line.replace(/"sequence":\d+/, `"sequence":${sequence}`);
    [lines[a], lines[a + 1]] = [swapSequence(lines[a + 1]!, 2), swapSequence(lines[a]!, 3)];
    assert.deepEqual(kinds(await verifyExport(lines, keys())), [["edited", 1]]);
    assert.deepEqual(kinds(await verifyExport(lines, withKeyring())), [
      ["reordered", 2],
      ["reordered", 3],
    ]);
  });

  it("a checkpoint's signature broken", async () => {
    const lines = await exportLines();
    const index = lineIndexOf(lines, (l) => l.type === "checkpoint" && l.number === 2);
    const checkpoint = JSON.parse(lines[index]!);
    checkpoint.signature = `${checkpoint.signature.slice(0, 10)}${checkpoint.signature[10] === "A" ? "B" : "A"}${checkpoint.signature.slice(11)}`;
    lines[index] = JSON.stringify(checkpoint);
    const report = await verifyExport(lines, keys());
    assert.deepEqual(kinds(report), [["bad-checkpoint", 2]]);
    assert.match(report.problems[0]!.detail, /signature/);
    assert.equal(report.valid, 6, "the logs under the broken checkpoint prove nothing");
  });

  it("a matching log turned into an omitted line", async () => {
    const lines = await exportLines(`from=${encodeURIComponent(at(-HOUR))}`);
    const index = lineIndexOf(lines, (l) => l.type === "log" && l.sequence === 8);
    const {
      type: _type,
      log_id: _id,
      message: _m,
      metadata: _md,
      key_id: _k,
      mac: _mac,
      ...summary
    } = JSON.parse(lines[index]!);
    lines[index] = JSON.stringify({ type: "omitted", ...summary, content_digest: "0".repeat(64) });
    const report = await verifyExport(lines, keys());
    assert.deepEqual(kinds(report), [
      ["deleted", 8],
      ["edited", 2],
    ]);
  });

  it("the file cut off after the first range", async () => {
    const lines = await exportLines();
    const cut = lines.slice(
      0,
      lineIndexOf(lines, (l) => l.type === "checkpoint" && l.number === 2),
    );
    assert.deepEqual(kinds(await verifyExport(cut, keys())), [["truncated", 2]]);
  });

  it("an anchor too recent for the header's filter", async () => {
    const lines = await exportLines(`from=${encodeURIComponent(at(-HOUR))}`);
    const header = JSON.parse(lines[0]!);
    lines[0] = JSON.stringify({ ...header, filter: `from=${encodeURIComponent(at(-3 * HOUR))}` });
    const report = await verifyExport(lines, keys());
    assert.deepEqual(kinds(report), [["deleted", 1]]);
    assert.match(report.problems[0]!.detail, /may match the filter/);
  });
});

function run(script: string, ...args: string[]) {
  const result = spawnSync("npx", ["tsx", `scripts/${script}.ts`, ...args], {
    encoding: "utf8",
    env: { ...process.env, MONGODB_DB: getConfig().mongodbDb },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run export and npm run verify -- --file", () => {
  it("export, then verify offline: 0 when clean, 1 when edited, 2 for a file that is no export", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-export-"));
    const file = path.join(dir, "export.ndjson");
    const keyFile = path.join(dir, "keys.json");
    writeFileSync(keyFile, JSON.stringify({ keys: getCheckpointSigner().publicKeys() }));

    const exported = run("export", "--format", "ndjson", "--from", at(-HOUR), "--out", file);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /Exported 9 logs, 2 left out by the filter \(as hashes\) and 2 checkpoints/);

    const clean = run("verify", "--file", file, "--public-key", keyFile, "--json");
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const report = JSON.parse(clean.stdout);
    assert.equal(report.keys_from, "file");
    assert.equal(report.macs_checked, true);
    assert.equal(report.valid, 9);

    writeFileSync(file, readFileSync(file, "utf8").replace(/"action":"login"/, '"action":"logout"'));
    const edited = run("verify", "--file", file, "--public-key", keyFile);
    assert.equal(edited.code, 1);
    assert.match(edited.stdout, /PROBLEMS FOUND[\s\S]*edited/);

    const notExport = run("verify", "--file", keyFile);
    assert.equal(notExport.code, 2);
    assert.match(notExport.stderr, /not a Ledgerline verifiable export/);
    assert.equal(run("export", "--format", "ndjson", "--from", "yesterday").code, 2);
  });

  it("export takes repeated and excluding filter flags, and names a bad one", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ledgerline-export-")), "export.ndjson");
    const flags = [
      "--meta",
      "env=prod",
      "--meta",
      "env=staging",
      "--exclude-status",
      "failed",
      "--exclude-meta",
      "env=dev",
    ];
    const exported = run("export", "--format", "ndjson", "--from", at(-HOUR), ...flags, "--out", file);
    assert.equal(exported.code, 0, exported.stderr);
    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!);
    assert.equal(
      header.filter,
      `from=${encodeURIComponent(at(-HOUR))}&meta.env=prod&meta.env=staging&exclude_status=failed&exclude_meta.env=dev`,
    );
    const bad = run("export", "--meta", "env..x=1");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--meta env\.\.x=…: has an empty metadata key segment/);
  });
});

describe("GET /api/logs/export?format=ndjson", () => {
  it("streams the same verifiable export to a read-scoped key, and names a bad parameter", async () => {
    const key = await createTestApiKey(db, ["read"]);
    // This export's own audit log is written once its stream has ended, so the library's export is read before it.
    const expected = await exportLines(`from=${encodeURIComponent(at(-HOUR))}`);
    const response = await call(
      exportRoute.GET,
      "GET",
      `/api/logs/export?format=ndjson&from=${encodeURIComponent(at(-HOUR))}`,
      { key },
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /application\/x-ndjson/);
    assert.match(
      response.headers.get("content-disposition")!,
      /attachment; filename="ledgerline-logs-from-\d{8}T[\d.]+Z\.ndjson"/,
    );
    const lines = response.text.trimEnd().split("\n");
    assert.equal((await verifyExport(lines, keys())).ok, true);
    // Creating the key and the two npm run export above were audited: three more pending logs.
    assert.equal(lines.filter((line) => typeOf(line) === "log").length, 12);
    assert.deepEqual(lines.slice(1), expected.slice(1));

    const bad = await call(exportRoute.GET, "GET", "/api/logs/export?format=ndjson&from=yesterday", { key });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /from/);
    assert.equal(
      (await call(exportRoute.GET, "GET", "/api/logs/export?format=ndjson&colour=red", { key })).status,
      400,
    );
    assert.equal((await call(exportRoute.GET, "GET", "/api/logs/export?format=ndjson")).status, 401);
    const ingestOnly = await createTestApiKey(db, ["ingest"]);
    assert.equal(
      (await call(exportRoute.GET, "GET", "/api/logs/export?format=ndjson", { key: ingestOnly })).status,
      403,
    );
    await flushAuditEvents();
  });
});

describe("npm run verify -- --from/--to", () => {
  it("checks only the checkpoint ranges of logs received in the window", async () => {
    const keysForDb = { keyring: getKeyring(), publicKeys: publicKeySetFromSigner(getCheckpointSigner()) };
    const [old] = await logsCollection(db).find({ sequence: 2 }).toArray();
    await logsCollection(db).updateOne({ sequence: 2 }, { $set: { user: "mallory" } });
    try {
      const recent = await verifyStoredLogs(db, keysForDb, { from: new Date(now - HOUR) });
      assert.deepEqual(recent.problems, []);
      const pending = await logsCollection(db).countDocuments({ sequence: { $gte: 15 } });
      assert.deepEqual([recent.checked, recent.checkpoints, recent.pending], [8 + pending, 1, pending]);
      const older = await verifyStoredLogs(db, keysForDb, { to: new Date(now - 4 * HOUR) });
      assert.deepEqual(kinds(older), [["edited", 2]]);
      assert.deepEqual([older.checked, older.checkpoints, older.pending], [6, 1, 0]);
    } finally {
      await logsCollection(db).updateOne({ sequence: 2 }, { $set: { user: old!.user } });
    }
  });
});
