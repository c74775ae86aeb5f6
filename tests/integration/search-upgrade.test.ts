// Upgrading a database made by the release before the search layout: logs,
// checkpoints and the rollups derived from them, no search collections, and
// logs settled but not checkpointed whose summaries lack the fields the layout
// needs. The upgrade derives the layout in the background while reads fall
// back to the logs collection and logs and checkpoints keep arriving; a second
// instance leaves it to the first. Afterwards the layout is whole, holds
// every checkpointed log once, and answers as a brute-force filter does.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { getDb } from "@/lib/platform/db/client";
import { packJson } from "@/lib/platform/db/packed-json";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import type { LogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { sequenceSettlements } from "@/lib/records/logs/sequence";
import { summariesOf } from "@/lib/records/logs/summaries";
import { readWholeLayout } from "@/lib/derived/search/read";
import { upgradeSearchLayout } from "@/lib/derived/search/upgrade";
import { setupAppDatabase } from "./support/app-db";
import { makeLogInput } from "./support/log-inputs";
import { assertLayoutSound, assertPagesMatchLogs } from "./support/search-layout";

setupAppDatabase("search_upgrade");

const BASE = Date.UTC(2026, 5, 1, 6);
const HOUR = 3_600_000;
const FILTERS: LogFilter[] = [
  { limit: 40, sort: "desc", format: "csv" },
  { limit: 15, sort: "asc", format: "csv", q: "invoice" },
  { limit: 10, sort: "desc", format: "csv", source: ["billing-api"], from: new Date(BASE + 10 * HOUR) },
  { limit: 4, sort: "asc", format: "csv", user: ["user4"], status: ["failed"] },
];

let db: Db;
let counter = 0;
/** Logs spread over three days, some with the message and source the layout filters on. */
function inputs(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, () => {
    counter++;
    return makeLogInput({
      timestamp: new Date(BASE + ((counter * 7_919_000) % (60 * HOUR))).toISOString(),
      ...(counter % 3 === 0 && { message: `invoice ${counter} sent`, source: "billing-api" }),
    });
  });
}
const ingest = (count: number) =>
  ingestLogs(db, inputs(count) as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
const checkpoint = () => writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });

/** Rewrites the settled, not yet checkpointed summaries as the previous release stored them: without source, message and metadata. */
async function stripSearchFields(): Promise<void> {
  for (const settlement of await sequenceSettlements(db).find().toArray()) {
    const logs = summariesOf(settlement.summaries!);
    const columns = {
      log_ids: logs.map((log) => log.log_id),
      sequences: logs.map((log) => log.sequence),
      times: logs.map((log) => log.time.getTime()),
      ips: logs.map((log) => log.ip),
      users: logs.map((log) => log.user),
      actions: logs.map((log) => log.action),
      failed: logs.map((log) => (log.status === "failed" ? 1 : 0)),
    };
    await sequenceSettlements(db).updateOne({ _id: settlement._id }, { $set: { summaries: packJson(columns) } });
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("upgrading a database made before the search layout", () => {
  before(async () => {
    db = await getDb();
    for (let n = 0; n < 5; n++) {
      await ingest(40);
      await checkpoint();
    }
    for (const name of [COLLECTIONS.searchParts, COLLECTIONS.searchDays, COLLECTIONS.searchState, COLLECTIONS.leases])
      await db.collection(name).drop();
    await ingest(25);
    await stripSearchFields();
    assert.equal(await readWholeLayout(db), null);
  });

  it("derives the layout in the background while reads fall back, then reads use it", async () => {
    const lines: string[] = [];
    const paused = gate();
    const resume = gate();
    const upgrade = upgradeSearchLayout(db, {
      log: (line) => lines.push(line),
      rebuild: {
        logsPerFlush: 30,
        onProgress: async ({ logs }) => {
          if (logs > 30) return;
          paused.open();
          await resume.opened;
        },
      },
    });
    // It waits until a checkpoint covers the logs settled without the layout's fields, then reads the logs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(lines, []);
    await checkpoint();
    await paused.opened;
    assert.match(lines[0] ?? "", /search layout is not whole/);

    // Meanwhile: reads use the logs collection, a second instance leaves the upgrade to this one, and logs and
    // checkpoints go on.
    assert.equal(await readWholeLayout(db), null);
    await assertPagesMatchLogs(db, FILTERS);
    const otherLines: string[] = [];
    const other = upgradeSearchLayout(db, { log: (line) => otherLines.push(line), retryMs: 100 });
    await ingest(30);
    await checkpoint();
    await new Promise((resolve) => setTimeout(resolve, 300));
    resume.open();
    await Promise.all([upgrade, other]);

    assert.deepEqual(otherLines, []);
    assert.ok(
      lines.some((line) => /search layout: \d+ of about \d+ logs \(\d+%\)/.test(line)),
      lines.join("\n"),
    );
    assert.match(lines.at(-1)!, /search layout derived from 225 logs through checkpoint 6/);
    assert.ok(await readWholeLayout(db), "whole");
    await checkpoint();
    const entries = await assertLayoutSound(db);
    const logs = await db
      .collection<{ sequence: number }>("logs")
      .find({}, { projection: { sequence: 1 } })
      .toArray();
    assert.deepEqual(
      entries.map((entry) => entry.sequence).sort((a, b) => a - b),
      logs.map((log) => log.sequence).sort((a, b) => a - b),
      "every log once",
    );
    await assertPagesMatchLogs(db, FILTERS);
  });
});
