// Property fuzz of GET /api/logs's query string: 2,000 generated filters over a
// store of hostile values, read from the logs collection (before the first
// checkpoint) and from the search layout and its fresh tail (after). Every
// answer is 200 or a 400 naming only parameters the query has; every log a
// 200 gives matches the filter as its parameters say (an operator-like or
// regex-like value never widens it), within the limit and in the asked order.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { GET } from "@/app/api/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { fuzz, FUZZ_RUNS } from "./support/hostile";
import {
  getWithQuery,
  logFilterPair,
  mismatch,
  queryString,
  seedInputs,
  seedLogs,
  type FilteredLog,
} from "./support/read-fuzz";

setupAppDatabase("fuzz_read_logs");

const NOW = Date.now();
let db: Db;
let key: string;

before(async () => {
  db = await getDb();
  await seedLogs(db, NOW);
  key = await createTestApiKey(db, ["read"]);
});

type LogItem = Omit<FilteredLog, "time"> & { log_id: string; timestamp: string; sequence: number };

/** GET /api/logs with generated query strings: the property, and how many 200s held a log. */
async function fuzzLogsQuery(label: string, numRuns: number): Promise<void> {
  let answered = 0;
  let matched = 0;
  await fuzz(
    label,
    queryString(logFilterPair(NOW)),
    async (query) => {
      const askedAt = Date.now();
      const read = await getWithQuery(GET, "/api/logs", query, key);
      if (!read) return;
      const { url, params, answer } = read;
      const items = answer.body.items as LogItem[];
      answered++;
      if (items.length > 0) matched++;
      assert.ok(items.length <= Number(params.get("limit") || 50), url);
      for (const item of items) {
        const reason = mismatch({ ...item, time: Date.parse(item.timestamp) }, params, askedAt);
        assert.equal(reason, undefined, `${url} gave ${item.log_id}: ${reason}`);
      }
      const direction = params.get("sort") === "asc" ? 1 : -1;
      const keys = items.map((item) => [Date.parse(item.timestamp), item.sequence] as const);
      keys.slice(1).forEach(([time, sequence], index) => {
        const [previousTime, previousSequence] = keys[index]!;
        assert.ok(
          direction * (time - previousTime || sequence - previousSequence) > 0,
          `in ${direction > 0 ? "ascending" : "descending"} order: ${url}`,
        );
      });
    },
    numRuns,
  );
  console.log(`fuzz ${label}: ${answered} answered 200, ${matched} of them with at least one log`);
}

describe("fuzz: GET /api/logs query strings", () => {
  it(`answers ${FUZZ_RUNS} generated filters from the logs collection with 200 and matching logs only, or 400 naming the parameter`, async () => {
    await fuzzLogsQuery("GET /api/logs (logs collection)", FUZZ_RUNS);
  });

  it(`answers ${FUZZ_RUNS / 2} more from the search layout and the logs after its checkpoint`, async () => {
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    const tail = seedInputs(NOW - 3_600_000).map((input) => ({ ...input, log_id: `tail-${input.log_id}` }));
    await ingestLogs(db, tail, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:fuzz" });
    await fuzzLogsQuery("GET /api/logs (search layout)", FUZZ_RUNS / 2);
  });
});
