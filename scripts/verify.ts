// npm run verify – check every stored log and checkpoint (exit 1 on any problem)
import { readFileSync } from "node:fs";
import { z } from "zod";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { CLI_ACTOR } from "@/lib/audit/security-events";
import { getCheckpointSigner } from "@/lib/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/integrity/checkpoint-keys";
import { runVerification } from "@/lib/integrity/reports";
import { verifySinceHead, type SinceHeadReport } from "@/lib/integrity/since-head";
import type { VerifyReport } from "@/lib/integrity/verify";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run verify -- [--json] [--since-head FILE]

Streams over every stored log and checkpoint and reports each problem with its
kind (edited, deleted, inserted, reordered, copied, truncated, bad-checkpoint,
unverifiable), sequence and log_id. The report is kept (shown at /integrity) and
the run is audited. Exit 0 when all is well, 1 when a problem is found.

--since-head FILE checks instead that today's history still contains the signed
checkpoint saved in FILE (by \`npm run checkpoint -- --head --out FILE\` or from
GET /api/integrity/head) and extends it by an unbroken signed chain.`,
  options: { json: { type: "boolean" }, "since-head": { type: "string" } },
  schema: z.object({ json: z.boolean().default(false), "since-head": z.string().min(1).optional() }),
  main: async ({ json, "since-head": headFile }) => {
    const savedHead = headFile === undefined ? undefined : readHeadFile(headFile);
    if (savedHead instanceof Error) {
      console.error(`error: --since-head: ${savedHead.message}`);
      return EXIT_USAGE;
    }
    try {
      if (savedHead !== undefined) {
        const result = await verifySinceHead(await getDb(), savedHead, publicKeySetFromSigner(getCheckpointSigner()));
        console.log(json ? JSON.stringify(result) : describeSinceHead(result));
        return result.ok ? EXIT_OK : EXIT_PROBLEM;
      }
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

function readHeadFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return new Error(`cannot read a JSON checkpoint from ${file} (${error instanceof Error ? error.message : String(error)})`);
  }
}

function describeSinceHead(result: SinceHeadReport): string {
  const head = result.ok
    ? `OK: history extends the saved head (checkpoint ${result.head}) unchanged, up to checkpoint ${result.latest}.`
    : `PROBLEMS FOUND against the saved head${result.head ? ` (checkpoint ${result.head})` : ""}:`;
  return [head, ...result.problems.map((p) => `  ${p.kind.padEnd(14)} ${p.checkpoint !== undefined ? `checkpoint ${p.checkpoint}: ` : ""}${p.detail}`)].join("\n");
}
