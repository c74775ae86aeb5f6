// Retention takes purged logs out of the search layout whatever hours they
// sit in: imported logs with old timestamps share an hour with purged ones,
// and one merged part holds logs of purged and kept checkpoints. Only the
// parts that reach below the purge point are touched (and only those that
// straddle it are read); a day left empty is deleted and the bounds follow.
// A purge stopped midway leaves garbage that the next write to the day
// collects, and the next retention run finishes the job.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import type { LogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { runRetention, type RetentionResult } from "@/lib/features/retention/run-retention";
import {
  checkpointPartId,
  mergedPartId,
  readDayParts,
  searchDays,
  searchParts,
  searchState,
  STATE_ID,
  trimmedPartId,
} from "@/lib/derived/search/layout";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInput } from "./support/log-inputs";
import { assertLayoutSound, assertPagesMatchLogs, interruptAt, recordIds } from "./support/search-layout";

setupAppDatabase("search_purge");

const DAY = 86_400_000;
const NOW = Date.now();
/** An hour that gets purged logs, then imports of old logs (kept), so its parts are merged across the purge point. */
const SHARED_HOUR = "2026-01-05T10";
/** Purged logs only. */
const PURGED_HOUR = "2026-01-05T11";
const PURGED_DAY_HOUR = "2026-01-02T08";
/** Kept logs of the first purge; its parts are merged across the second purge point. */
const LATER_HOUR = "2026-01-20T09";

let db: Db;
const at = (hour: string, minute: number) => ({ timestamp: `${hour}:${String(minute % 60).padStart(2, "0")}:00.000Z` });
const ingest = (inputs: Record<string, unknown>[]) =>
  ingestLogs(db, inputs as LogInput[], { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
/** The next checkpoint, created `daysAgo` days before now (retention goes by creation time). */
const checkpoint = async (daysAgo: number) =>
  (
    await writeCheckpoint(db, {
      signer: getCheckpointSigner(),
      voidAfterMs: 120_000,
      now: new Date(NOW - daysAgo * DAY),
    })
  ).checkpoint;
/** Retention of 30 days, run `daysLater` days from now. */
const retain = (daysLater = 0) =>
  runRetention(db, {
    retentionMs: 30 * DAY,
    signer: getCheckpointSigner(),
    actor: CLI_ACTOR,
    now: new Date(NOW + daysLater * DAY),
  });

const FILTERS: LogFilter[] = [
  { limit: 7, sort: "desc", format: "csv" },
  { limit: 4, sort: "asc", format: "csv" },
  {
    limit: 5,
    sort: "desc",
    format: "csv",
    from: new Date(`${SHARED_HOUR}:00:00Z`),
    to: new Date(`${SHARED_HOUR}:59:59Z`),
  },
  { limit: 3, sort: "asc", format: "csv", user: ["user3"] },
];

async function listedIn(hour: string): Promise<string[]> {
  return readDayParts(await searchDays(db).findOne({ _id: hour.slice(0, 10) }))[hour.slice(11)] ?? [];
}

describe("retention purges the search layout", () => {
  let first: RetentionResult;

  before(async () => {
    db = await getDb();
    // Checkpoints 1–6, created 40 days ago: purged at 30 days.
    for (let n = 1; n <= 6; n++) {
      await ingest([
        ...[0, 1, 2].map((i) => makeLogInput(at(SHARED_HOUR, n * 3 + i))),
        ...[0, 1].map((i) => makeLogInput(at(PURGED_HOUR, n * 2 + i))),
        makeLogInput(at(PURGED_DAY_HOUR, n)),
      ]);
      await checkpoint(40);
    }
    // Checkpoints 7–12, created 10 days ago: imports of old logs into the shared hour, and later logs.
    for (let n = 7; n <= 12; n++) {
      await ingest([
        ...[0, 1].map((i) => makeLogInput(at(SHARED_HOUR, 30 + n * 2 + i))),
        ...[0, 1].map((i) => makeLogInput(at(LATER_HOUR, n * 2 + i))),
      ]);
      await checkpoint(10);
    }
  });

  it("merged the shared hour's parts of purged and kept checkpoints", async () => {
    assert.deepEqual(await listedIn(SHARED_HOUR), [
      mergedPartId(checkpointPartId(SHARED_HOUR, 9), 0),
      ...[10, 11, 12].map((n) => checkpointPartId(SHARED_HOUR, n)),
    ]);
    await assertLayoutSound(db);
  });

  it("takes every purged entry out, reading only the part that straddles the purge point", async () => {
    const reads = recordIds("findOne", "search_parts");
    try {
      first = await retain();
    } finally {
      reads.restore();
    }
    assert.equal(first.through_checkpoint, 6);
    const merged = mergedPartId(checkpointPartId(SHARED_HOUR, 9), 0);
    assert.deepEqual(reads.ids, [merged]);
    // 6 parts of the purged hour and 6 of the purged day deleted unread, the merged part trimmed.
    assert.deepEqual([first.search_parts_deleted, first.search_parts_trimmed], [12, 1]);
    const trimmed = trimmedPartId(merged, first.through_sequence!);
    assert.deepEqual(await listedIn(SHARED_HOUR), [
      trimmed,
      ...[10, 11, 12].map((n) => checkpointPartId(SHARED_HOUR, n)),
    ]);
    assert.equal((await searchParts(db).findOne({ _id: trimmed }))?.count, 6, "the imports of checkpoints 7–9 stay");
    assert.deepEqual(await listedIn(PURGED_HOUR), []);
    assert.equal(
      await searchDays(db).findOne({ _id: PURGED_DAY_HOUR.slice(0, 10) }),
      null,
      "a day left empty is deleted",
    );
    const state = await searchState(db).findOne({ _id: STATE_ID });
    assert.deepEqual([state?.first_day, state?.last_day], ["2026-01-05", "2026-01-20"]);
    await assertLayoutSound(db, { purgedBelow: first.through_sequence! });
    await assertPagesMatchLogs(db, FILTERS);
  });

  it("finishes a purge stopped midway; the garbage it left is collected by the next write to the day", async () => {
    // Checkpoints 13–15, created now: the later hour reaches 9 parts and is merged across the next purge point.
    for (let n = 13; n <= 15; n++) {
      await ingest([
        makeLogInput(at(SHARED_HOUR, 50 + n)),
        ...[0, 1].map((i) => makeLogInput(at(LATER_HOUR, n * 2 + i))),
      ]);
      await checkpoint(0);
    }
    const merged = mergedPartId(checkpointPartId(LATER_HOUR, 15), 0);
    assert.deepEqual(await listedIn(LATER_HOUR), [merged]);

    // 25 days on, checkpoints 7–12 are due. The run stops before the later day's new list names its trimmed part.
    const stop = interruptAt(
      "replaceOne",
      (collection, args) =>
        collection === "search_days" && String((args[1] as { parts?: string }).parts).includes("~p"),
    );
    await assert.rejects(retain(25), /interrupted/);
    stop.restore();
    const purgedBelow = (await searchState(db).findOne({ _id: STATE_ID }))!.purged_below!;
    const trimmed = trimmedPartId(merged, purgedBelow);
    assert.ok(await searchParts(db).findOne({ _id: trimmed }), "the trimmed part was stored");
    assert.deepEqual(await listedIn(LATER_HOUR), [merged], "but not listed");

    // The next write to that day, a checkpoint with a log in it, deletes it.
    await ingest([makeLogInput(at(LATER_HOUR, 59))]);
    const next = await checkpoint(0);
    assert.equal(await searchParts(db).findOne({ _id: trimmed }), null);
    assert.deepEqual(await listedIn(LATER_HOUR), [merged, checkpointPartId(LATER_HOUR, next.number)]);

    // Stopped again as it deletes parts no list names any more; the run after finishes the purge.
    const stopAgain = interruptAt("deleteOne", (collection) => collection === "search_parts");
    await assert.rejects(retain(25), /interrupted/);
    stopAgain.restore();
    assert.ok(stopAgain.fired);
    const finished = await retain(25);
    assert.equal(finished.through_checkpoint, 12);
    assert.equal(finished.through_sequence, purgedBelow);
    assert.ok((await listedIn(LATER_HOUR)).includes(trimmed));
    await assertLayoutSound(db, { purgedBelow });
    await assertPagesMatchLogs(db, FILTERS);
  });
});
