// Property fuzz of the query strings of GET /api/alerts and GET /api/anomalies:
// 2,000 generated queries each (time ranges, finding types, statuses and
// limits, seeded with hostile, operator-like and malformed values, repeated
// and unknown parameters) over a store with a failure burst and its alert.
// Every answer is 200 or a 400 naming only parameters the query has; every
// alert or finding a 200 gives has an asked type and status (open unless
// asked) and lies in the asked time range, and no more alerts than the limit
// come back.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Db } from "mongodb";
import { GET as alertsGet } from "@/app/api/alerts/route";
import { GET as anomaliesGet } from "@/app/api/anomalies/route";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import { FINDING_TYPES } from "@/lib/records/anomaly/finding";
import { getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { fragment, fuzz, FUZZ_RUNS, OPERATOR_WORDS, timestampIn } from "./support/hostile";
import { getWithQuery, queryString, seedLogs } from "./support/read-fuzz";

setupAppDatabase("fuzz_read_alerts");

const NOW = Date.now();
const DAY_MS = 86_400_000;
let db: Db;
let key: string;

before(async () => {
  db = await getDb();
  await seedLogs(db, NOW, 40);
  await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
  key = await createTestApiKey(db, ["read"]);
});

const stray = fc.oneof(fragment, fc.constantFrom(...OPERATOR_WORDS, "", "\u0000", "1e400"));
const time = fc.oneof(
  { weight: 4, arbitrary: timestampIn(NOW - 40 * DAY_MS, NOW + DAY_MS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "2026-02-30T00:00:00Z",
      "2026-01-01T00:00:00",
      "yesterday",
      "0",
      "1e400",
      "9999-12-31T23:59:59Z",
    ),
  },
  { weight: 1, arbitrary: stray },
);
const types = fc.oneof(
  { weight: 4, arbitrary: fc.subarray([...FINDING_TYPES], { minLength: 1 }).map((chosen) => chosen.join(",")) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      " failure_burst ",
      "failure_burst,,off_hours",
      "FAILURE_BURST",
      "__proto__",
      "constructor",
    ),
  },
  { weight: 1, arbitrary: stray },
);
const rangePairs: fc.Arbitrary<[string, string]>[] = [
  time.map((value): [string, string] => ["from", value]),
  time.map((value): [string, string] => ["to", value]),
  types.map((value): [string, string] => ["type", value]),
];
const unknownPair = fc.tuple(
  fc.oneof(fc.constantFrom("$where", "__proto__", "constructor", "toString", "user", "status[$ne]", ""), fragment),
  stray,
);
const alertPair = fc.oneof(
  ...rangePairs,
  fc.oneof(fc.constantFrom(...ALERT_STATUSES), stray).map((value): [string, string] => ["status", value]),
  fc
    .constantFrom("1", "2", "200", "500", "501", "0", "-1", "1.5", "1e400", "18446744073709551616", " 5", "0x10", "")
    .map((value): [string, string] => ["limit", value]),
  unknownPair,
);
const anomalyPair = fc.oneof({ weight: 3, arbitrary: fc.oneof(...rangePairs) }, { weight: 1, arbitrary: unknownPair });

/** The types a query asks for (every type when it names none). */
const askedTypes = (params: URLSearchParams) => {
  const asked = params
    .getAll("type")
    .filter(Boolean)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim());
  return asked.length > 0 ? asked : [...FINDING_TYPES];
};

describe("fuzz: GET /api/alerts query strings", () => {
  it(`answers ${FUZZ_RUNS} generated queries with the alerts they ask for only, or 400 naming the parameter`, async () => {
    let held = 0;
    await fuzz("GET /api/alerts", queryString(alertPair), async (query) => {
      const read = await getWithQuery(alertsGet, "/api/alerts", query, key);
      if (!read) return;
      const { url, params, answer } = read;
      const alerts = answer.body.alerts as { id: string; type: string; status: string; start: string; end: string }[];
      if (alerts.length > 0) held++;
      assert.ok(alerts.length <= Number(params.get("limit") || 200), url);
      for (const alert of alerts) {
        assert.ok(askedTypes(params).includes(alert.type), `${url} gave a ${alert.type} alert`);
        // An empty parameter counts as absent (a form's blank field); the default status is open.
        assert.equal(alert.status, params.get("status") || "open", url);
        if (params.get("from"))
          assert.ok(
            Date.parse(alert.end) >= Date.parse(params.get("from")!),
            `${url} gave an alert ending ${alert.end}`,
          );
        if (params.get("to"))
          assert.ok(
            Date.parse(alert.start) <= Date.parse(params.get("to")!),
            `${url} gave an alert starting ${alert.start}`,
          );
      }
    });
    console.log(`fuzz GET /api/alerts: ${held} answers held an alert`);
  });
});

describe("fuzz: GET /api/anomalies query strings", () => {
  it(`answers ${FUZZ_RUNS} generated queries with findings of the asked types and range only, or 400 naming the parameter`, async () => {
    let held = 0;
    await fuzz("GET /api/anomalies", queryString(anomalyPair), async (query) => {
      const read = await getWithQuery(anomaliesGet, "/api/anomalies", query, key);
      const answeredAt = Date.now();
      if (!read) return;
      const { url, params, answer } = read;
      const findings = answer.body.findings as { type: string; start: string; end: string }[];
      if (findings.length > 0) held++;
      const to = params.has("to") ? Date.parse(params.get("to")!) : answeredAt;
      const from = params.has("from") ? Date.parse(params.get("from")!) : to - DAY_MS;
      for (const finding of findings) {
        assert.ok(askedTypes(params).includes(finding.type), `${url} gave a ${finding.type} finding`);
        assert.ok(
          Date.parse(finding.start) >= from && Date.parse(finding.end) <= to,
          `${url} gave a finding from ${finding.start} to ${finding.end}`,
        );
      }
    });
    console.log(`fuzz GET /api/anomalies: ${held} answers held a finding`);
  });
});
