// npm run verify – check every stored log and checkpoint (exit 1 on any problem)
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { CLI_ACTOR } from "@/lib/audit/security-events";
import { runVerification } from "@/lib/integrity/reports";
import type { VerifyReport } from "@/lib/integrity/verify";
import { EXIT_OK, EXIT_PROBLEM, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run verify -- [--json]

Streams over every stored log and checkpoint and reports each problem with its
kind (edited, deleted, inserted, reordered, copied, truncated, bad-checkpoint,
unverifiable), sequence and log_id. The report is kept (shown at /integrity) and
the run is audited. Exit 0 when all is well, 1 when a problem is found.`,
  options: { json: { type: "boolean" } },
  schema: z.object({ json: z.boolean().default(false) }),
  main: async ({ json }) => {
    try {
      const report = await runVerification(await getDb(), CLI_ACTOR);
      console.log(json ? JSON.stringify(report) : describe(report));
      return report.ok ? EXIT_OK : EXIT_PROBLEM;
    } finally {
      await closeMongoClient();
    }
  },
});

function describe(report: VerifyReport): string {
  const lines = [
    `${report.ok ? "OK" : "PROBLEMS FOUND"}: ${report.checked} logs checked, ${report.valid} valid, ${report.pending} pending (newer than the last of ${report.checkpoints} checkpoints), ${report.problem_count} problems.`,
    ...report.problems.map((p) => `  ${p.kind.padEnd(14)} ${p.sequence !== undefined ? `sequence ${p.sequence}` : `checkpoint ${p.checkpoint}`}${p.log_id ? ` (${p.log_id})` : ""}: ${p.detail}`),
  ];
  if (report.problem_count > report.problems.length) lines.push(`  … and ${report.problem_count - report.problems.length} more`);
  return lines.join("\n");
}
