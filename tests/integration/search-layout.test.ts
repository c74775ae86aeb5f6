// The explorer's pages read through the search layout equal a brute-force
// filter and sort of the same logs in memory: random filters, both sort
// orders, every page forwards and back, with logs in the layout (merged parts
// included) and in the fresh tail, late logs, equal times, IPv6 and mapped
// addresses, unicode and metadata; so do counts, the CSV export, on-demand
// detection's findings and dashboards under an hour; also after a rebuild and
// a retention run (which leaves no purged entry in the layout). A log deleted
// from the record is left out; an edited one shows as stored.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { getDb } from "@/lib/platform/db/client";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { logsCollection } from "@/lib/records/logs/collection";
import { countLogs } from "@/lib/features/explorer/count-logs";
import { exportChunks } from "@/lib/features/explorer/export-stream";
import type { LogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { findLogPage, matchingRecords } from "@/lib/features/explorer/log-pages";
import { matchesLogFilter } from "@/lib/records/logs/criteria-query";
import type { StoredLog } from "@/lib/records/logs/record";
import type { LogInput } from "@/lib/records/logs/schemas";
import { searchDays, searchState, STATE_ID } from "@/lib/derived/search/layout";
import { readWholeLayout } from "@/lib/derived/search/read";
import { rebuildSearchLayout } from "@/lib/derived/search/rebuild";
import { runRetention } from "@/lib/features/retention/run-retention";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { findAnomaliesWithStats } from "@/lib/derived/alerts/find-anomalies";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { getDashboard } from "@/lib/features/dashboard/get-dashboard";
import { setupAppDatabase } from "./support/app-db";
import { assertLayoutSound, walkPages } from "./support/search-layout";

setupAppDatabase("search_layout");

const BASE = Date.UTC(2026, 2, 29, 21, 0, 0); // crosses a UTC day edge
const HOUR = 3_600_000;
const NOW = new Date(BASE + 7 * HOUR);
const USERS = ["ana", "Ana", "bó", "svc-backup", "zoë", "root"];
const ACTIONS = ["login", "logout", "file_access", "config_change"];
const IPS = ["10.0.3.7", "10.0.3.200", "10.0.4.1", "2001:db8::1", "2001:db8::ff", "::ffff:10.0.3.9", "192.168.1.20"];
const SOURCES = [undefined, "billing-api", "sshd"];
const MESSAGES = [undefined, "Invoice sent to ÉCOLE", "password accepted", "invoice id 42", "Kelvin K sign", ""];

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
const rand = random(7);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;

let counter = 0;
function makeInput(time: number): LogInput {
  counter++;
  const source = pick(SOURCES);
  const message = pick(MESSAGES);
  return {
    log_id: `s-${counter}`,
    timestamp: new Date(time).toISOString(),
    ip: pick(IPS),
    user: pick(USERS),
    action: pick(ACTIONS),
    status: rand() < 0.3 ? "failed" : "success",
    ...(source && { source }),
    ...(message && { message }),
    ...(rand() < 0.5 && { metadata: makeMetadata() }),
  };
}

/** Ports as numbers or as their text, so that meta.port=1 matches both; keys present on some logs only. */
function makeMetadata(): Record<string, string | number | boolean> {
  const port = Math.floor(rand() * 3);
  return {
    port: rand() < 0.7 ? port : String(port),
    proto: pick(["ssh", "https"]),
    ...(rand() < 0.5 && { mfa: rand() < 0.5 }),
    ...(rand() < 0.3 && { outcome: pick(["success", "failure", "unknown"]) }),
  };
}

/** Times within 5 hours of BASE, a fifth of them equal to another's. */
function batchOfTimes(count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++)
    times.push(i > 0 && rand() < 0.2 ? times[i - 1]! : BASE + Math.floor(rand() * 5 * HOUR));
  return times;
}

let db: Db;
const ingest = (inputs: LogInput[]) =>
  ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

function newestFirst(a: StoredLog, b: StoredLog): number {
  return b.time.getTime() - a.time.getTime() || b.sequence - a.sequence;
}

/** One to three of `values`. */
function several<T>(values: readonly T[]): T[] {
  return [...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(values)))];
}

const IP_FILTERS = [
  "10.0.3.0/24",
  "10.0.0.0/8",
  "2001:db8::/32",
  "10.0.3.7",
  "::ffff:10.0.3.9",
  "10.0.3.9",
  "192.168.0.0/16",
];
const META_FILTERS: Record<string, string[]> = {
  port: ["0", "1", "2", "1.0"],
  proto: ["ssh", "https"],
  mfa: ["true", "false"],
  outcome: ["success", "failure"],
  "outcome.code": ["1"],
};

function randomFilter(): LogFilter {
  const filter: LogFilter = { limit: 2 + Math.floor(rand() * 30), sort: rand() < 0.5 ? "desc" : "asc", format: "csv" };
  if (rand() < 0.4) filter.status = several(["success", "failed"] as const);
  // Users and actions found on one day only, or on none: other days are skipped by their rollups.
  if (rand() < 0.3) filter.user = several([...USERS, "late-only", "nobody"]);
  if (rand() < 0.2) filter.action = several([...ACTIONS, "late_action"]);
  if (rand() < 0.2) filter.source = several(["billing-api", "sshd"]);
  if (rand() < 0.3) filter.ip = several(IP_FILTERS);
  if (rand() < 0.3) filter.q = pick(["invoice", "é", "k", "PASSWORD", "no-such-word"]);
  if (rand() < 0.3) filter.meta = randomMeta();
  const exclude: NonNullable<LogFilter["exclude"]> = {};
  if (rand() < 0.15) exclude.status = [pick(["success", "failed"] as const)];
  if (rand() < 0.2) exclude.user = several([...USERS, "late-only"]);
  if (rand() < 0.15) exclude.action = several(ACTIONS);
  if (rand() < 0.15) exclude.source = several(["billing-api", "sshd"]);
  if (rand() < 0.2) exclude.ip = several(IP_FILTERS);
  if (rand() < 0.25) exclude.meta = randomMeta();
  if (Object.keys(exclude).length > 0) filter.exclude = exclude;
  if (rand() < 0.5) filter.from = new Date(BASE + Math.floor(rand() * 3 * HOUR));
  if (rand() < 0.5) filter.to = new Date(BASE + 2 * HOUR + Math.floor(rand() * 4 * HOUR));
  return filter;
}

function randomMeta(): Record<string, string[]> {
  const keys = several(Object.keys(META_FILTERS));
  return Object.fromEntries(keys.map((key) => [key, several(META_FILTERS[key]!)]));
}

/** The content the layout was derived from, of logs edited in the database since: which logs match follows it, the rows show the edit. */
const derivedContent = new Map<string, Pick<StoredLog, "message">>();

async function expectedIds(filter: LogFilter): Promise<string[]> {
  const all = await logsCollection(db).find().toArray();
  const matching = all
    .filter((log) => matchesLogFilter({ ...log, ...derivedContent.get(log._id) }, filter))
    .sort(newestFirst);
  if (filter.sort === "asc") matching.reverse();
  return matching.map((log) => log._id);
}

/**
 * `counts`: also the count of matches (which still counts a log deleted from the record, so not after the deletion
 * below). Returns how many filters with several values, an exclusion or a metadata key matched some logs.
 */
async function assertPagesMatch(rounds: number, { counts = false } = {}): Promise<number> {
  let listsMatched = 0;
  for (let round = 0; round < rounds; round++) {
    const filter = randomFilter();
    const expected = await expectedIds(filter);
    const usesLists =
      filter.exclude !== undefined ||
      filter.meta !== undefined ||
      [filter.status, filter.user, filter.action, filter.source, filter.ip].some((list) => list && list.length > 1);
    if (usesLists && expected.length > 0) listsMatched++;
    const { forwards, backwards } = await walkPages(db, filter);
    const label = JSON.stringify(filter);
    assert.deepEqual(forwards, expected, `forwards: ${label}`);
    assert.deepEqual(backwards, expected, `backwards: ${label}`);
    if (counts) assert.equal(await countLogs(db, filter), expected.length, `count: ${label}`);
    if (round < 3) assert.deepEqual(await csvExportIds(filter), expected, `CSV export: ${label}`);
    const records = round < 3 ? await recordIds(filter) : null;
    if (records) assert.deepEqual(records, expected, `records looked up 3 at a time: ${label}`);
  }
  return listsMatched;
}

/** Null without a whole layout. */
async function recordIds(filter: LogFilter): Promise<string[] | null> {
  const records = await matchingRecords(db, filter, { direction: filter.sort }, 3);
  if (!records) return null;
  const ids: string[] = [];
  for await (const log of records) ids.push(log._id);
  return ids;
}

/** The log_id column of the CSV export (ids here need no quoting). */
async function csvExportIds(filter: LogFilter): Promise<string[]> {
  let text = "";
  for await (const chunk of exportChunks(db, filter, {
    publicKeys: getCheckpointSigner().publicKeys(),
    maxFutureSkewMs: 300_000,
  }))
    text += chunk;
  return text
    .split("\r\n")
    .slice(1)
    .filter((line) => line !== "")
    .map((line) => line.split(",")[0]!);
}

describe("explorer pages through the search layout", () => {
  before(async () => {
    db = await getDb();
    await ensureIndexes(db);
    // Twelve checkpoints over the same hours: their parts are merged.
    // The first checkpoint alone holds the earliest day: the layout's bounds must count it.
    await ingest([makeInput(BASE - 50 * HOUR)]);
    for (let n = 0; n < 12; n++) {
      await ingest(batchOfTimes(25).map(makeInput));
      await checkpoint();
    }
    // Late logs: old times arriving after newer ones.
    await ingest(
      batchOfTimes(10).map((time, i) => ({
        ...makeInput(time - 30 * HOUR),
        ...(i % 2 === 0 && { user: "late-only", action: "late_action" }),
      })),
    );
    await checkpoint();
    // The fresh tail: settled, not checkpointed.
    await ingest(batchOfTimes(20).map(makeInput));
  });

  it("is used: the layout is whole and some hour's parts were merged", async () => {
    assert.ok(await readWholeLayout(db), "the layout is whole from checkpoint 1 on");
    const days = await searchDays(db).find().toArray();
    assert.ok(
      days.some((day) => day.parts.includes("~m")),
      "no hour was merged",
    );
    await assertLayoutSound(db);
  });

  it("every page of 40 random filters, forwards and back, and their counts equal a brute-force filter and sort", async () => {
    const listsMatched = await assertPagesMatch(40, { counts: true });
    assert.ok(
      listsMatched >= 8,
      `only ${listsMatched} filters with several values, exclusions or metadata matched some logs`,
    );
  });

  it("leaves out a log deleted from the record, and shows an edited one as stored", async () => {
    const [deleted, edited] = await logsCollection(db).find().sort({ sequence: 1 }).limit(2).toArray();
    await logsCollection(db).deleteOne({ _id: deleted!._id });
    await logsCollection(db).updateOne({ _id: edited!._id }, { $set: { message: "edited in the database" } });
    derivedContent.set(edited!._id, { message: edited!.message });
    const filter: LogFilter = { limit: 500, sort: "asc", format: "csv" };
    const page = await findLogPage(db, filter);
    assert.ok(!page.items.some((log) => log._id === deleted!._id));
    assert.equal(page.items.find((log) => log._id === edited!._id)?.message, "edited in the database");
    await assertPagesMatch(10);
  });

  it("keeps matching while new logs arrive and are checkpointed between pages", async () => {
    await ingest(batchOfTimes(15).map(makeInput));
    await checkpoint();
    await assertPagesMatch(10);
  });

  it("after a rebuild from the logs, gives the same pages", async () => {
    const result = await rebuildSearchLayout(db);
    derivedContent.clear();
    assert.ok(result.logs > 300, `rebuilt from ${result.logs} logs`);
    assert.ok(await readWholeLayout(db));
    await ingest(batchOfTimes(10).map(makeInput));
    await checkpoint();
    await assertLayoutSound(db);
    await assertPagesMatch(10);
  });

  it("after a retention run, holds and matches only the logs that remain", async () => {
    const [, middle] = await checkpointsCollection(db).find().sort({ _id: 1 }).skip(5).limit(2).toArray();
    const purge = await runRetention(db, {
      retentionMs: 1_000,
      signer: getCheckpointSigner(),
      actor: CLI_ACTOR,
      now: new Date(middle!.created_at.getTime() + 1_001),
    });
    assert.ok(purge.logs_deleted > 100, `${purge.logs_deleted} logs purged`);
    assert.ok(purge.search_parts_deleted + purge.search_parts_trimmed > 0, JSON.stringify(purge));
    await assertLayoutSound(db, { purgedBelow: purge.through_sequence! });
    // The log deleted by hand above was among the purged: counts agree again.
    await assertPagesMatch(10, { counts: true });
  });

  it("falls back to the logs collection, with the same pages and the same findings, while the layout is not whole", async () => {
    // Baseline and analysed range both hold logs: the range starts within the data.
    const range = { from: new Date(BASE + 2 * HOUR), to: new Date(BASE + 6 * HOUR) };
    const config = parseDetectionConfig({ baselineDays: 1, minHistoryEvents: 2, minHistoryDays: 1 });
    const fromLayout = await findAnomaliesWithStats(db, range, config);
    // Dashboards under an hour count the window's logs (and the period before).
    const windows = [15, 45].map((minutes) => ({
      from: new Date(BASE + 2 * HOUR + 7 * 60_000),
      to: new Date(BASE + 2 * HOUR + (7 + minutes) * 60_000),
      tz: "UTC",
    }));
    const dashboards = async () =>
      Promise.all(windows.map(async (window) => ({ ...(await getDashboard(db, window, NOW)), generated_at: "" })));
    const dashboardsFromLayout = await dashboards();
    assert.ok(
      dashboardsFromLayout.every((dashboard) => dashboard.totals.total > 5 && dashboard.totals.previous.total > 5),
      "the windows hold logs",
    );
    await searchState(db).updateOne({ _id: STATE_ID }, { $set: { gap_at: 3 } });
    assert.equal(await readWholeLayout(db), null);
    await assertPagesMatch(4);
    const fromLogs = await findAnomaliesWithStats(db, range, config);
    assert.ok(
      fromLogs.analysed > 50 && fromLogs.baselineLogs > 10 && fromLogs.findings.length > 0,
      JSON.stringify({ ...fromLogs, findings: fromLogs.findings.length }),
    );
    assert.deepEqual(fromLayout, fromLogs);
    assert.deepEqual(dashboardsFromLayout, await dashboards());
    await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { gap_at: "" } });
  });
});
