// npm run anomalies – findings over the stored logs of a time range, as a table or JSON
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { findAnomaliesWithStats, streamAnomalies } from "@/lib/derived/alerts/find-anomalies";
import { plainText, type Finding, type Severity } from "@/lib/records/anomaly/finding";
import {
  ANOMALY_QUERY_FIELDS,
  SeverityName,
  checkAnomalyRange,
  reachesSeverity,
  resolveAnomalyRange,
  type AnomalyRange,
} from "@/lib/records/anomaly/range-params";
import { EXIT_OK, EXIT_PROBLEM, runCli } from "./lib/cli";
import { formatTable } from "./lib/table";

runCli({
  usage: `Usage: npm run anomalies -- [--from ISO] [--to ISO] [--type T] [--json] [--fail-on SEVERITY]

Runs anomaly detection over the stored logs whose time lies in [--from, --to]
(default: the 24 hours before now; at most ANOMALIES_MAX_RANGE_DAYS, 31 days),
judging each user against their history of the ANOMALY_BASELINE_DAYS before
--from, and prints the findings as a table, or
as {"findings": [...]} with --json (the answer of GET /api/anomalies, written
as the findings close, so in rough start order and in bounded memory).
--type limits the output to some finding types (repeat it or separate them by
commas): failure_burst, targeted_account, password_spraying,
success_after_failures, unknown_network, off_hours, new_ip_for_user,
rare_hour_for_user.
--fail-on low|medium|high|critical exits 1 when a finding reaches that severity
(for cron jobs and CI); otherwise the exit code is 0. Bad usage exits 2.`,
  options: {
    from: { type: "string" },
    to: { type: "string" },
    type: { type: "string", multiple: true },
    json: { type: "boolean" },
    "fail-on": { type: "string" },
  },
  schema: z
    .object({ ...ANOMALY_QUERY_FIELDS, json: z.boolean().default(false), "fail-on": SeverityName.optional() })
    .superRefine(checkAnomalyRange),
  main: async ({ json, "fail-on": failOn, ...query }) => {
    const range = resolveAnomalyRange(query);
    try {
      if (json) {
        const reached = await writeFindingsJson(range, failOn);
        return reached ? EXIT_PROBLEM : EXIT_OK;
      }
      const { findings, analysed } = await findAnomaliesWithStats(await getDb(), range, getConfig().anomaly);
      console.log(describe(findings, analysed, range));
      return failOn !== undefined && reachesSeverity(findings, failOn) ? EXIT_PROBLEM : EXIT_OK;
    } finally {
      await closeMongoClient();
    }
  },
});

/** Streams {"findings": [...]} to stdout; true when a finding reaches `failOn`. */
async function writeFindingsJson(range: AnomalyRange, failOn: Severity | undefined): Promise<boolean> {
  let reached = false;
  let separator = "";
  await write('{"findings":[');
  await streamAnomalies(await getDb(), range, getConfig().anomaly, async (batch) => {
    if (failOn !== undefined && reachesSeverity(batch, failOn)) reached = true;
    const text = batch.map((finding) => JSON.stringify(finding)).join(",");
    await write(separator + text);
    separator = ",";
  });
  await write("]}\n");
  return reached;
}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

function describe(findings: Finding[], analysed: number, { from, to }: { from: Date; to: Date }): string {
  const summary = `${findings.length} finding${findings.length === 1 ? "" : "s"} in ${analysed} logs from ${from.toISOString()} to ${to.toISOString()}.`;
  if (findings.length === 0) return summary;
  const rows = findings.map((f) => [
    f.severity,
    f.type,
    // Logged values are escaped: a user name must not drive the terminal.
    plainText(f.user ?? ""),
    plainText(f.ip ?? ""),
    f.start.toISOString().replace(/\.\d+Z$/, "Z"),
    String(f.count),
    f.explanation,
  ]);
  return `${formatTable(["severity", "type", "user", "ip", "start", "logs", "explanation"], rows, [5])}\n\n${summary}`;
}
