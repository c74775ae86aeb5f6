// A checkpoint whose derivation stops in the middle of merging an hour's
// parts leaves parts that no day lists: merged parts not listed yet, or parts
// merged away but not deleted. The next write to that day deletes them (it
// finds them recorded in the day, without reading search_parts), and the
// layout answers as before.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import type { LogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { checkpointPartId, mergedPartId, readDayParts, searchDays, searchParts } from "@/lib/derived/search/layout";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInput } from "./support/log-inputs";
import { assertLayoutSound, assertPagesMatchLogs, interruptAt } from "./support/search-layout";

setupAppDatabase("search_orphans");

const HOUR = "2026-02-10T14";
const DAY = HOUR.slice(0, 10);
const FILTERS: LogFilter[] = [
  { limit: 6, sort: "desc", format: "csv" },
  { limit: 5, sort: "asc", format: "csv", status: ["failed"] },
];

let db: Db;
let minute = 0;
const ingestInHour = (count: number) =>
  ingestLogs(
    db,
    Array.from({ length: count }, () =>
      makeLogInput({ timestamp: `${HOUR}:${String(minute++ % 60).padStart(2, "0")}:00.000Z` }),
    ) as LogInput[],
    {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    },
  );
const checkpoint = async () =>
  (await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 })).checkpoint;
const listed = async () => readDayParts(await searchDays(db).findOne({ _id: DAY }))[HOUR.slice(11)] ?? [];
const storedIds = async () =>
  (
    await searchParts(db)
      .find({}, { projection: { _id: 1 } })
      .toArray()
  )
    .map((part) => part._id)
    .sort();

describe("parts left by a merge that stopped", () => {
  before(async () => {
    db = await getDb();
    for (let n = 1; n <= 8; n++) {
      await ingestInHour(3);
      await checkpoint();
    }
    assert.equal((await listed()).length, 8);
  });

  it("a merged part stored but not listed is deleted by the next write to the day", async () => {
    await ingestInHour(3);
    const stop = interruptAt(
      "replaceOne",
      (collection, args) =>
        collection === "search_days" && String((args[1] as { parts?: string }).parts).includes("~m"),
    );
    await assert.rejects(checkpoint(), /interrupted/);
    stop.restore();
    const orphan = mergedPartId(checkpointPartId(HOUR, 9), 0);
    assert.ok((await storedIds()).includes(orphan), "the merged part was stored");
    assert.ok(!(await listed()).includes(orphan), "and not listed");
    assert.deepEqual((await searchDays(db).findOne({ _id: DAY }))?.drop, [orphan], "the day records it");

    // The next checkpoint writer finishes checkpoint 9's derivation first.
    await ingestInHour(2);
    const next = await checkpoint();
    assert.deepEqual(await listed(), [orphan, checkpointPartId(HOUR, next.number)]);
    assert.deepEqual(await storedIds(), (await listed()).sort());
    await assertLayoutSound(db);
    await assertPagesMatchLogs(db, FILTERS);
  });

  it("parts merged away but not deleted are deleted by the next write to the day", async () => {
    while ((await listed()).length < 8) {
      await ingestInHour(2);
      await checkpoint();
    }
    const before = await listed();
    await ingestInHour(2);
    const stop = interruptAt("deleteOne", (collection) => collection === "search_parts");
    await assert.rejects(checkpoint(), /interrupted/);
    stop.restore();
    const merged = await listed();
    assert.equal(merged.length, 1, "the new list names the merged part only");
    const left = (await storedIds()).filter((id) => !merged.includes(id));
    assert.ok(
      left.length > 0 && left.every((id) => before.includes(id)),
      `parts merged away are still stored: ${left.join(", ")}`,
    );

    await ingestInHour(1);
    await checkpoint();
    assert.deepEqual(await storedIds(), (await listed()).sort());
    assert.equal((await searchDays(db).findOne({ _id: DAY }))?.drop?.length, 0);
    await assertLayoutSound(db);
    await assertPagesMatchLogs(db, FILTERS);
  });
});
