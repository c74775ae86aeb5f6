// npm run soak – load, faults and several instances at once, then the checks
// that every acknowledged log is stored once and stays provable.
import { z } from "zod";
import { EXIT_OK, EXIT_PROBLEM, runCli } from "./lib/cli";
import { runSoak, type SoakReport } from "./soak/run";

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

runCli({
  usage: `Usage: npm run soak -- [--seconds N] [--instances K] [--clients C] [--json]
                     [--checkpoint-seconds S] [--void-seconds S] [--data-dir DIR]

Starts the embedded database and K production instances (default 2; run
\`next build\` first) on a throwaway data folder, and has C clients (default 16)
post the generated stream for N seconds (default 600) as JSON, NDJSON,
Elasticsearch bulk, OTLP/HTTP JSON and syslog, retrying as real clients do.
Meanwhile, on the schedule printed at the start: the database is frozen 8 s,
then killed and restarted; one instance is killed mid-request and restarted;
a client sends one byte a second and others hang up halfway through a body;
the instances' checkpoint timers (every --checkpoint-seconds, default 2, with
lost sequence numbers voided after --void-seconds, default 5) compete.
Then it checkpoints everything, runs npm run verify, rebuilds the derived
data and detection from the logs and compares them with what was derived
live. Prints the figures (--json: one JSON object) and exits 1 unless every
acknowledged log is stored exactly once, nothing else is, no request hung or
got an undocumented 5xx, verify is clean and the rebuilds match.
--data-dir keeps the database in DIR (an empty folder) for a look afterwards
(npm run db with EMBEDDED_DB_DATA_DIR=DIR); by default it is thrown away.`,
  options: {
    seconds: { type: "string" },
    instances: { type: "string" },
    clients: { type: "string" },
    "checkpoint-seconds": { type: "string" },
    "void-seconds": { type: "string" },
    "data-dir": { type: "string" },
    json: { type: "boolean" },
  },
  schema: z.object({
    seconds: count(20, 86_400).default(600),
    instances: count(1, 8).default(2),
    clients: count(1, 256).default(16),
    "checkpoint-seconds": count(1, 3_600).default(2),
    "void-seconds": count(1, 3_600).default(5),
    "data-dir": z.string().min(1).optional(),
    json: z.boolean().default(false),
  }),
  main: async ({
    seconds,
    instances,
    clients,
    "checkpoint-seconds": checkpointSeconds,
    "void-seconds": voidSeconds,
    "data-dir": dataDir,
    json,
  }) => {
    const report = await runSoak({ seconds, instances, clients, checkpointSeconds, voidSeconds, dataDir }, (line) =>
      console.error(line),
    );
    console.log(json ? JSON.stringify(report) : describe(report));
    return report.failures.length === 0 ? EXIT_OK : EXIT_PROBLEM;
  },
});

function describe(report: SoakReport): string {
  const statuses = Object.entries(report.statuses)
    .map(([status, n]) => `${status}: ${n}`)
    .join(", ");
  return [
    `${report.failures.length === 0 ? "OK" : "FAILED"}: ${report.seconds} s, ${report.instances} instances, ${report.clients} clients`,
    `requests ${report.requests} (${statuses}; ${report.network_errors} network errors, ${report.hung_requests} hung)`,
    `logs acknowledged ${report.logs_acknowledged}, stored ${report.logs_stored}, answered as duplicates ${report.duplicates_answered}, ${report.logs_per_second} logs/s`,
    `latency p50 ${report.latency_ms.p50} ms, p95 ${report.latency_ms.p95} ms, p99 ${report.latency_ms.p99} ms`,
    ...report.faults.map(
      (fault) =>
        `fault ${fault.name} at ${fault.startedAtSeconds} s, ${fault.startedAt} (${fault.tookSeconds} s): ${fault.detail}`,
    ),
    report.slow_client
      ? `slow client: ${report.slow_client.bytesSent} bytes in ${report.slow_client.secondsOpen} s, ${report.slow_client.ending}`
      : "slow client: did not run",
    `verify: ${report.verify.ok ? "ok" : "PROBLEMS"}, ${report.verify.checked} checked, ${report.verify.pending} pending, ${report.verify.problems} problems, ${report.checkpoints} checkpoints`,
    `derived data equal to the rebuild: rollups ${report.derived.rollups.length === 0}, baselines ${report.derived.baselines.length === 0}, search ${report.derived.search.length === 0}`,
    `alerts ${report.detection.stored}, detection over the logs ${report.detection.rerun}`,
    ...report.failures.map((failure) => `FAIL ${failure}`),
  ].join("\n");
}
