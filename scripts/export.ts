// npm run export – the logs a filter matches, as CSV or as the verifiable NDJSON export
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { FieldProblem } from "@/lib/http/validation";
import { getCheckpointSigner } from "@/lib/integrity/active-keyring";
import { exportChunks } from "@/lib/explorer/export-stream";
import { parseLogFilter, type LogFilter } from "@/lib/logs/filters";
import { EXIT_USAGE, runCli } from "./lib/cli";

const FILTER_FLAGS = ["format", "from", "to", "range", "status", "ip", "user", "action", "source", "q", "sort"] as const;

runCli({
  usage: `Usage: npm run export -- [--format csv|ndjson] [--from ISO] [--to ISO] [--range 24h]
                         [--status success|failed] [--ip ADDRESS|CIDR] [--user U] [--action A]
                         [--source S] [--q TEXT] [--sort desc|asc] [--out FILE]

Writes every log the filter matches (the same filters as the log explorer and
GET /api/logs/export; all logs without any), to FILE or standard output.

  csv     (default) for people and spreadsheets; cells that a spreadsheet would
          run as a formula start with an added ' (see the README)
  ndjson  the verifiable export: the checkpoint public keys, every checkpoint
          whose range could hold a matching log, each matching log with its
          MAC, and the hash and summary of each other log in those ranges.
          \`npm run verify -- --file FILE\` checks it offline.`,
  options: { ...Object.fromEntries(FILTER_FLAGS.map((flag) => [flag, { type: "string" as const }])), out: { type: "string" } },
  schema: z.object({ out: z.string().min(1).optional() }).catchall(z.string()),
  main: async ({ out, ...flags }) => {
    let filter: LogFilter;
    try {
      filter = parseLogFilter(new URLSearchParams(flags as Record<string, string>), new Date());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      console.error(`error: ${((error.details ?? []) as FieldProblem[]).map((p) => `--${p.field}: ${p.message}`).join("; ")}`);
      return EXIT_USAGE;
    }
    try {
      const chunks = exportChunks(await getDb(), filter, {
        publicKeys: getCheckpointSigner().publicKeys(),
        maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
      });
      const counts = { bytes: 0, log: 0, omitted: 0, checkpoint: 0 };
      const counted = async function* () {
        for await (const chunk of chunks) {
          counts.bytes += Buffer.byteLength(chunk);
          if (filter.format === "ndjson") {
            for (const [, type] of chunk.matchAll(/^\{"type":"(log|omitted|checkpoint)"/gm)) counts[type as "log" | "omitted" | "checkpoint"]++;
          }
          yield chunk;
        }
      };
      await pipeline(Readable.from(counted()), out ? createWriteStream(out) : process.stdout);
      const to = out ? ` to ${out}` : "";
      console.error(
        filter.format === "csv"
          ? `Exported ${(counts.bytes / 1024).toFixed(1)} KiB of CSV${to}.`
          : `Exported ${counts.log} logs, ${counts.omitted} left out by the filter (as hashes) and ${counts.checkpoint} checkpoints${to}.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
