// npm run export – write the verifiable NDJSON export of the stored logs
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { closeMongoClient, getDb } from "@/lib/db/client";
import { getCheckpointSigner } from "@/lib/integrity/active-keyring";
import { ndjsonChunks, verifiableExport } from "@/lib/integrity/export";
import type { ExportLine } from "@/lib/integrity/export-format";
import { parseExportSelection, SelectionError } from "@/lib/logs/export-selection";
import { EXIT_USAGE, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run export -- --format ndjson [--from ISO] [--to ISO] [--out FILE]

Writes the logs whose timestamp lies in [from, to] (all logs without them) as
verifiable NDJSON: the checkpoint public keys, every checkpoint whose range could
hold such a log, each matching log with its MAC, and the hash and summary of each
log in those ranges that does not match. \`npm run verify -- --file FILE\` checks
it offline. Without --out it writes to standard output.`,
  options: { format: { type: "string" }, from: { type: "string" }, to: { type: "string" }, out: { type: "string" } },
  schema: z.object({
    format: z.literal("ndjson", 'must be "ndjson"'),
    from: z.string().optional(),
    to: z.string().optional(),
    out: z.string().min(1).optional(),
  }),
  main: async ({ from, to, out }) => {
    let selection;
    try {
      selection = parseExportSelection(new URLSearchParams({ ...(from && { from }), ...(to && { to }) }).toString());
    } catch (error) {
      if (!(error instanceof SelectionError)) throw error;
      console.error(`error: --${error.message}`);
      return EXIT_USAGE;
    }
    const counts = { log: 0, omitted: 0, checkpoint: 0 };
    async function* counted(lines: AsyncIterable<ExportLine>) {
      for await (const line of lines) {
        if (line.type in counts) counts[line.type as keyof typeof counts]++;
        yield line;
      }
    }
    try {
      const lines = verifiableExport(await getDb(), selection, {
        publicKeys: getCheckpointSigner().publicKeys(),
        maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
      });
      await pipeline(Readable.from(ndjsonChunks(counted(lines))), out ? createWriteStream(out) : process.stdout);
      console.error(`Exported ${counts.log} logs, ${counts.omitted} left out by the filter (as hashes) and ${counts.checkpoint} checkpoints${out ? ` to ${out}` : ""}.`);
    } finally {
      await closeMongoClient();
    }
  },
});
