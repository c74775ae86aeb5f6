// npm run seed / seed:anomalies / anomalies as operators run them, and
// GET /api/anomalies, against one database: seeded normal traffic stays quiet,
// every injected anomaly is found, and a reset starts the integrity chain afresh.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as anomalies from "@/app/api/anomalies/route";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { getDb } from "@/lib/platform/db/client";
import type { InjectedAnomaly } from "@/lib/features/generators/anomalies";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { runScript as run } from "./support/cli";
import { call } from "./support/http";

setupAppDatabase("anomalies");

let db: Db;
before(async () => {
  db = await getDb();
});

type FindingJson = {
  type: string;
  severity: string;
  ip?: string;
  user?: string;
  start: string;
  end: string;
  count: number;
  log_ids: string[];
  explanation: string;
};

function isFound(
  findings: FindingJson[],
  anomaly: InjectedAnomaly | (Omit<InjectedAnomaly, "time"> & { time: string }),
): boolean {
  return findings.some(
    (f) =>
      f.type === anomaly.type &&
      (anomaly.ip === undefined || f.ip === anomaly.ip) &&
      (anomaly.user === undefined || f.user === anomaly.user),
  );
}

function tally(findings: FindingJson[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[`${f.type}/${f.severity}`] = (counts[`${f.type}/${f.severity}`] ?? 0) + 1;
  return counts;
}

describe("anomaly detection over seeded logs, from the command line and the API", () => {
  it("seed --reset deletes every log and starts the integrity chain afresh, which verifies clean", async () => {
    assert.equal(run("seed", "--count", "300", "--days", "2", "--random-seed", "5").code, 0);
    const reset = run("seed", "--reset", "--count", "200", "--days", "2", "--random-seed", "5");
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(
      reset.stdout,
      /Reset: deleted 300 logs, \d+ alerts, .*\d+ sequence_blocks, 1 checkpoints, \d+ purges, \d+ derived_marks, \d+ counters\./,
    );
    assert.match(reset.stdout, /Seeded 200 logs of normal traffic .* \(random seed 5\); checkpoint 1 covers them\./);
    // The reset is the first log of the new chain.
    assert.equal((await logsCollection(db).findOne({ sequence: 1 }))?.action, "logs_reset");
    const head = run("checkpoint", "--head", "--json");
    assert.equal(JSON.parse(head.stdout).previous_digest, null);
    const verify = run("verify", "--json");
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.equal(JSON.parse(verify.stdout).checked, 201);
  });

  it("finds no high or critical anomaly in a normal-only seed of 5,000 logs", async (t) => {
    const seeded = run("seed", "--reset", "--count", "5000", "--days", "7", "--random-seed", "42");
    assert.equal(seeded.code, 0, seeded.stderr);
    t.diagnostic(seeded.stdout.trim().split("\n").at(-1)!);
    const started = performance.now();
    const found = run("anomalies", "--json", "--fail-on", "high");
    t.diagnostic(
      `npm run anomalies over the seed: ${Math.round(performance.now() - started)} ms including tsx start-up`,
    );
    assert.equal(found.code, 0, found.stdout + found.stderr);
    const { findings } = JSON.parse(found.stdout) as { findings: FindingJson[] };
    t.diagnostic(`findings in the last 24 h of a normal seed: ${JSON.stringify(tally(findings))}`);
    assert.deepEqual(
      findings.filter((f) => f.severity === "high" || f.severity === "critical"),
      [],
    );
    assert.ok(findings.length <= 20, `${findings.length} findings`);
    const alerts = await alertsCollection(db).find().toArray();
    t.diagnostic(
      `alerts at the seed's checkpoint: ${JSON.stringify(tally(alerts.map((a) => ({ ...a, start: "", end: "" }))))}`,
    );
    assert.deepEqual(
      alerts.filter((a) => a.severity === "high" || a.severity === "critical"),
      [],
    );
  });

  it("finds every injected anomaly with its subject, from the CLI and from GET /api/anomalies", async (t) => {
    const seeded = run("seed-anomalies", "--json");
    assert.equal(seeded.code, 0, seeded.stderr);
    const { injected } = JSON.parse(seeded.stdout) as {
      injected: (Omit<InjectedAnomaly, "time"> & { time: string })[];
    };
    assert.equal(injected.length, 8);

    const cli = run("anomalies", "--json");
    assert.equal(cli.code, 0, cli.stderr);
    const { findings } = JSON.parse(cli.stdout) as { findings: FindingJson[] };
    t.diagnostic(`findings after seed:anomalies: ${JSON.stringify(tally(findings))}`);
    for (const anomaly of injected) assert.ok(isFound(findings, anomaly), `CLI misses ${JSON.stringify(anomaly)}`);
    // The history went under a checkpoint of its own: the anomalies' checkpoint raised every one as an alert.
    const alerts = (await alertsCollection(db).find().toArray()).map((a) => ({
      ...a,
      start: a.start.toISOString(),
      end: a.end.toISOString(),
    }));
    for (const anomaly of injected) assert.ok(isFound(alerts, anomaly), `no alert for ${JSON.stringify(anomaly)}`);
    for (const f of findings) {
      assert.match(f.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(f.log_ids.length, Math.min(f.count, 20));
    }

    const key = await createTestApiKey(db, ["read"]);
    const api = await call(anomalies.GET, "GET", "/api/anomalies", { key });
    assert.equal(api.status, 200, api.text);
    for (const anomaly of injected)
      assert.ok(isFound(api.body.findings, anomaly), `API misses ${JSON.stringify(anomaly)}`);

    const table = run("anomalies");
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^severity\s+type\s+user\s+ip\s+start\s+logs\s+explanation$/m);
    assert.match(table.stdout, /critical\s+success_after_failures\s+compromised\.user\s+203\.0\.113\.88/);

    assert.equal(run("anomalies", "--fail-on", "high").code, 1);
    assert.equal(run("anomalies", "--fail-on", "critical", "--type", "off_hours,unknown_network").code, 0);
    const some = run("anomalies", "--json", "--type", "off_hours", "--type", "failure_burst");
    assert.deepEqual(
      new Set(JSON.parse(some.stdout).findings.map((f: FindingJson) => f.type)),
      new Set(["off_hours", "failure_burst"]),
    );
    const filtered = await call(anomalies.GET, "GET", "/api/anomalies?type=targeted_account", { key });
    assert.ok(filtered.body.findings.some((f: FindingJson) => f.user === "victim.user"));
    assert.ok(filtered.body.findings.every((f: FindingJson) => f.type === "targeted_account"));
  });

  it("exits 2 naming the flag on bad usage", () => {
    const cases: [string, string[], RegExp][] = [
      ["anomalies", ["--type", "failure_burst,nonsense"], /--type: unknown finding type "nonsense"/],
      ["anomalies", ["--fail-on", "extreme"], /--fail-on: must be one of low, medium, high, critical/],
      ["anomalies", ["--from", "yesterday"], /--from: must be an ISO 8601 date-time/],
      ["anomalies", ["--from", "2026-03-02T00:00:00Z", "--to", "2026-03-01T00:00:00Z"], /--from: must not be after to/],
      ["anomalies", ["--frobnicate"], /frobnicate/],
      ["seed", ["--count", "1.5"], /--count: must be a whole number/],
      ["seed", ["--random-seed", "x"], /--random-seed:/],
      ["seed-anomalies", ["--reset"], /reset/],
    ];
    for (const [script, args, message] of cases) {
      const result = run(script, ...args);
      assert.equal(result.code, 2, `${script} ${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });

  it("GET /api/anomalies: 401 without credentials, 400 naming a bad field or an unknown parameter", async () => {
    assert.equal((await call(anomalies.GET, "GET", "/api/anomalies")).status, 401);
    const key = await createTestApiKey(db, ["read"]);
    const cases: [string, string, RegExp][] = [
      ["type=bogus", "type", /unknown finding type "bogus"/],
      ["from=yesterday", "from", /ISO 8601/],
      ["from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "from", /must not be after to/],
      ["user=bob", "user", /is not a known field/],
    ];
    for (const [query, field, message] of cases) {
      const response = await call(anomalies.GET, "GET", `/api/anomalies?${query}`, { key });
      assert.equal(response.status, 400, query);
      assert.equal(response.body.error.code, "validation_failed");
      assert.equal(response.body.error.details[0].field, field, query);
      assert.match(response.body.error.details[0].message, message, query);
    }
    const ingestOnly = await createTestApiKey(db, ["ingest"]);
    assert.equal((await call(anomalies.GET, "GET", "/api/anomalies", { key: ingestOnly })).status, 403);
  });
});
