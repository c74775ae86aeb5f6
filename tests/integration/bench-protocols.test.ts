// The benchmark's encoders (scripts/bench/protocols.ts) against the real
// routes: every protocol's batch of the same generated logs is taken whole,
// and the answer check accepts exactly that, so a figure is never measured on
// a batch the server refused.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as bulkRoute from "@/app/%5Fbulk/route";
import * as jsonRoute from "@/app/api/logs/route";
import * as syslogRoute from "@/app/api/logs/syslog/route";
import * as otlpRoute from "@/app/v1/logs/route";
import { getDb } from "@/lib/platform/db/client";
import { generateLogInputs } from "@/lib/features/generators/logs";
import { logsCollection } from "@/lib/records/logs/collection";
import { checkAnswer, encodeBatch, type IngestProtocol } from "@/scripts/bench/protocols";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";

setupAppDatabase("bench_protocols");

const ROUTES: Record<IngestProtocol, Parameters<typeof call>[0]> = {
  json: jsonRoute.POST,
  bulk: bulkRoute.POST,
  otlp: otlpRoute.POST,
  syslog: syslogRoute.POST,
};
const COUNT = 60;

let db: Db;
let key: string;

before(async () => {
  db = await getDb();
  key = await createTestApiKey(db, ["ingest"]);
});

describe("the benchmark's protocol encoders", () => {
  for (const [protocol, route] of Object.entries(ROUTES) as [IngestProtocol, Parameters<typeof call>[0]][]) {
    it(`sends ${COUNT} generated logs as ${protocol}, all stored, and the answer check agrees`, async () => {
      const now = Date.now();
      const inputs = [
        ...generateLogInputs({ count: COUNT, seed: 7, start: new Date(now - 3_600_000), end: new Date(now - 60_000) }),
      ].map((input) => ({ ...input, log_id: `${protocol}-${input.log_id}` }));
      const { path, contentType, body } = encodeBatch(protocol, inputs);
      const before = await logsCollection(db).countDocuments({});
      const response = await call(route, "POST", path, { key, body, contentType });
      checkAnswer(protocol, response.status, response.body, COUNT);
      assert.equal((await logsCollection(db).countDocuments({})) - before, COUNT);
      assert.throws(() => checkAnswer(protocol, 400, { error: { code: "validation_failed" } }, COUNT));
    });
  }
});
