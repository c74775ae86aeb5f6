// npm run verify – check stored logs and checkpoints, an export file offline, or history against a saved head
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import {
  publicKeySetFromJson,
  publicKeySetFromSigner,
  type PublicKeySet,
} from "@/lib/records/integrity/checkpoint-keys";
import { runVerification } from "@/lib/records/integrity/reports";
import { verifySinceHead, type SinceHeadReport } from "@/lib/records/integrity/since-head";
import type { Problem, VerifyReport } from "@/lib/records/integrity/verify";
import { ExportFormatError, verifyExport, type ExportVerifyReport } from "@/lib/records/integrity/verify-export";
import { EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";

const IsoInstant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

runCli({
  usage: `Usage: npm run verify -- [--json] [--from ISO] [--to ISO]
       npm run verify -- --file export.ndjson [--public-key FILE] [--json]
       npm run verify -- --since-head FILE [--public-key FILE] [--json]

Streams over stored logs and checkpoints and reports each problem with its kind
(edited, deleted, inserted, reordered, copied, truncated, bad-checkpoint,
unverifiable), sequence and log_id. The report is kept (shown at /integrity) and
the run is audited. --from/--to limit the check to logs received in that window,
rounded out to whole checkpoint ranges. Exit 0 when all is well, 1 when a
problem is found, 2 on bad usage.

--file checks a verifiable export (npm run export -- --format ndjson, or
GET /api/logs/export?format=ndjson) with no database: the checkpoint chain, that
its logs hash to what the checkpoints signed, and that no left-out log matches
its filter; with LEDGERLINE_HMAC_KEYS set, every log's MAC too. Logs newer than
the last checkpoint are reported as pending. --public-key FILE holds the JSON of
GET /api/integrity/public-key; without it the export's own key lines are used,
which proves the file is consistent but not who signed it.

--since-head FILE checks that today's history still contains the signed
checkpoint saved in FILE (by \`npm run checkpoint -- --head --out FILE\` or from
GET /api/integrity/head) and extends it by an unbroken signed chain.`,
  options: {
    json: { type: "boolean" },
    from: { type: "string" },
    to: { type: "string" },
    file: { type: "string" },
    "public-key": { type: "string" },
    "since-head": { type: "string" },
  },
  schema: z
    .object({
      json: z.boolean().default(false),
      from: IsoInstant.optional(),
      to: IsoInstant.optional(),
      file: z.string().min(1).optional(),
      "public-key": z.string().min(1).optional(),
      "since-head": z.string().min(1).optional(),
    })
    .refine((a) => !(a.file && a["since-head"]), { message: "give --file or --since-head, not both", path: ["file"] })
    .refine((a) => !((a.file || a["since-head"]) && (a.from || a.to)), {
      message: "only applies to the stored logs, not with --file or --since-head",
      path: ["from"],
    })
    .refine((a) => !a["public-key"] || a.file || a["since-head"], {
      message: "only applies with --file or --since-head",
      path: ["public-key"],
    })
    .refine((a) => !a.from || !a.to || a.from <= a.to, { message: "must not be after --to", path: ["from"] }),
  main: async ({ json, from, to, file, "public-key": keyFile, "since-head": headFile }) => {
    const keys = keyFile === undefined ? undefined : readJsonFile(keyFile, "--public-key", publicKeySetFromJson);
    if (keys instanceof Error) return usage(keys);
    if (file !== undefined) return verifyFile(file, keys, json);

    const savedHead = headFile === undefined ? undefined : readJsonFile(headFile, "--since-head", (head) => head);
    if (savedHead instanceof Error) return usage(savedHead);
    try {
      if (savedHead !== undefined) {
        const result = await verifySinceHead(
          await getDb(),
          savedHead,
          keys ?? publicKeySetFromSigner(getCheckpointSigner()),
        );
        console.log(json ? JSON.stringify(result) : describeSinceHead(result));
        return result.ok ? EXIT_OK : EXIT_PROBLEM;
      }
      const report = await runVerification(await getDb(), CLI_ACTOR, { from, to });
      console.log(json ? JSON.stringify(report) : describe(report));
      return report.ok ? EXIT_OK : EXIT_PROBLEM;
    } finally {
      await closeMongoClient();
    }
  },
});

async function verifyFile(file: string, publicKeys: PublicKeySet | undefined, json: boolean): Promise<number> {
  const input = createReadStream(file, "utf8");
  const opened = new Promise<void>((resolve, reject) => input.once("open", () => resolve()).once("error", reject));
  try {
    await opened;
  } catch (error) {
    return usage(new Error(`--file: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`));
  }
  const keyring = getConfig().hmacKeys ? getKeyring() : null;
  try {
    const report = await verifyExport(createInterface({ input, crlfDelay: Infinity }), { publicKeys, keyring });
    console.log(json ? JSON.stringify(report) : describeExport(report));
    return report.ok ? EXIT_OK : EXIT_PROBLEM;
  } catch (error) {
    if (error instanceof ExportFormatError) return usage(new Error(`--file: ${error.message}`));
    throw error;
  }
}

function usage(error: Error): number {
  console.error(`error: ${error.message}`);
  return EXIT_USAGE;
}

function describe(report: VerifyReport): string {
  return [
    `${report.ok ? "OK" : "PROBLEMS FOUND"}: ${report.checked} logs checked, ${report.valid} valid, ${report.pending} pending (newer than the last of ${report.checkpoints} checkpoints), ${report.problem_count} problems.`,
    ...describeProblems(report.problems, report.problem_count),
  ].join("\n");
}

function describeExport(report: ExportVerifyReport): string {
  const proof = report.complete_for
    ? `complete for sequences ${report.complete_for.from_sequence}–${report.complete_for.to_sequence}`
    : "no checkpointed range";
  return [
    `${report.ok ? "OK" : "PROBLEMS FOUND"}: ${report.checked} logs checked, ${report.valid} proven authentic, ${report.omitted} left out by the filter${report.filter ? ` (${report.filter})` : ""}, ${report.pending} pending, ${report.checkpoints} checkpoints; ${proof}; ${report.problem_count} problems.`,
    `  MACs ${report.macs_checked ? "checked with the HMAC keyring" : "not checked (no LEDGERLINE_HMAC_KEYS): authenticity rests on the signed checkpoints"}; public keys from ${report.keys_from === "file" ? "--public-key" : "the export itself (pass --public-key to prove who signed it)"}.`,
    ...describeProblems(report.problems, report.problem_count),
  ].join("\n");
}

function describeProblems(problems: Problem[], total: number): string[] {
  const lines = problems.map((p) => {
    const where =
      p.sequence !== undefined
        ? `sequence ${p.sequence}`
        : p.checkpoint !== undefined
          ? `checkpoint ${p.checkpoint}`
          : "export";
    return `  ${p.kind.padEnd(14)} ${where}${p.log_id ? ` (${p.log_id})` : ""}${p.line !== undefined ? ` [line ${p.line}]` : ""}: ${p.detail}`;
  });
  if (total > problems.length) lines.push(`  … and ${total - problems.length} more`);
  return lines;
}

function readJsonFile<T>(file: string, flag: string, read: (json: unknown) => T): T | Error {
  try {
    return read(JSON.parse(readFileSync(file, "utf8")));
  } catch (error) {
    return new Error(`${flag}: cannot use ${file} (${error instanceof Error ? error.message : String(error)})`);
  }
}

function describeSinceHead(result: SinceHeadReport): string {
  const head = result.ok
    ? `OK: history extends the saved head (checkpoint ${result.head}) unchanged, up to checkpoint ${result.latest}.`
    : `PROBLEMS FOUND against the saved head${result.head ? ` (checkpoint ${result.head})` : ""}:`;
  return [
    head,
    ...result.problems.map(
      (p) => `  ${p.kind.padEnd(14)} ${p.checkpoint !== undefined ? `checkpoint ${p.checkpoint}: ` : ""}${p.detail}`,
    ),
  ].join("\n");
}
