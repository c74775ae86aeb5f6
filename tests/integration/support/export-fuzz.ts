// The property fuzz of GET /api/logs/export's query string, shared by the files
// that split its 2,000 runs by format (fuzz-read-export-*.test.ts) to stay
// within the test timeout: every log an export holds is looked up by id. Every
// answer is 200 or a 400 naming only parameters the query has; every row of a
// CSV (read back with restoreCsvCell) and every log line of an NDJSON export
// matches the filter as its parameters say, so an operator-like or regex-like
// value never widens it; an XLSX is a workbook.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Db } from "mongodb";
import { GET } from "@/app/api/logs/export/route";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { createTestApiKey, setupAppDatabase } from "./app-db";
import { fuzz } from "./hostile";
import {
  csvLogs,
  getWithQuery,
  logFilterPair,
  mismatch,
  queryString,
  seedInputs,
  seedLogs,
  type FilteredLog,
} from "./read-fuzz";

const SEEDED = 24;

type LogLine = Omit<FilteredLog, "time"> & { type: string; log_id: string; timestamp: string };

/** Call at the top of the file: its own store (seeded, checkpointed, with logs after the checkpoint), and `numRuns` generated exports asking for `formats` (the format parameter is fuzzed as well). */
export function fuzzExportQueries(label: string, formats: string[], numRuns: number, seedOffset: number): void {
  setupAppDatabase(label);
  const now = Date.now();
  let db: Db;
  let key: string;

  before(async () => {
    db = await getDb();
    await seedLogs(db, now, SEEDED);
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    const tail = seedInputs(now - 3_600_000, SEEDED).map((input) => ({ ...input, log_id: `tail-${input.log_id}` }));
    await ingestLogs(db, tail, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:fuzz" });
    key = await createTestApiKey(db, ["read"]);
  });

  describe(`fuzz: GET /api/logs/export query strings (${formats.map((format) => format || "default").join(", ")})`, () => {
    it(`answers ${numRuns} generated filters with matching logs only, or 400 naming the parameter`, async () => {
      const counts = { csv: 0, ndjson: 0, xlsx: 0, rows: 0 };
      const query = fc
        .tuple(queryString(logFilterPair(now)), fc.constantFrom(...formats))
        .map(([text, format]) => (format && !/(^|&)format=/.test(text) ? `${text}&format=${format}` : text));
      await fuzz(
        `GET /api/logs/export (${formats.map((format) => format || "default").join(", ")})`,
        query,
        async (text) => {
          const askedAt = Date.now();
          const read = await getWithQuery(GET, "/api/logs/export", text, key);
          if (!read) return;
          const { url, params, answer } = read;
          const format = (params.get("format") || "csv") as keyof typeof counts;
          counts[format]++;
          if (format === "xlsx")
            return assert.equal(Buffer.from(answer.bytes.subarray(0, 2)).toString("latin1"), "PK", url);
          const logs =
            format === "csv"
              ? csvLogs(answer.bytes)
              : answer.text
                  .split("\n")
                  .filter((line) => line !== "")
                  .map((line) => JSON.parse(line) as LogLine)
                  .filter((line) => line.type === "log")
                  .map((line) => ({ ...line, time: Date.parse(line.timestamp) }));
          counts.rows += logs.length;
          for (const log of logs) {
            const reason = mismatch(log, params, askedAt);
            assert.equal(reason, undefined, `${url} gave ${log.log_id}: ${reason}`);
          }
        },
        numRuns,
        { seedOffset },
      );
      console.log(
        `fuzz GET /api/logs/export: 200 as CSV ${counts.csv}, NDJSON ${counts.ndjson}, XLSX ${counts.xlsx} times, ${counts.rows} logs checked`,
      );
    });
  });
}
