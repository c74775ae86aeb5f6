// npm run export – the logs a filter matches, as CSV or as the verifiable NDJSON export
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { auditExport, flushAuditEvents } from "@/lib/records/audit/access-audit";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { exportChunks } from "@/lib/features/explorer/export-stream";
import { EXCLUDE_PREFIX, LIST_FIELDS, META_PREFIX } from "@/lib/records/logs/filter-names";
import { parseLogFilter, type LogFilter } from "@/lib/records/logs/filters";
import { EXIT_USAGE, runCli } from "./lib/cli";

const SINGLE_FLAGS = ["format", "from", "to", "range", "q", "sort"] as const;
// Each repeatable, as the query parameters are: --user a --user b, --exclude-ip 10.0.0.0/8, --meta host.name=db-1.
const LIST_FLAGS = [...LIST_FIELDS, "meta"].flatMap((name) => [name, `exclude-${name}`]);

runCli({
  usage: `Usage: npm run export -- [--format csv|xlsx|ndjson] [--from ISO] [--to ISO] [--range 24h]
                         [--status success|failed] [--ip ADDRESS|CIDR] [--user U] [--action A]
                         [--source S] [--meta KEY=VALUE] [--q TEXT] [--sort desc|asc] [--out FILE]

Writes every log the filter matches (the same filters as the log explorer and
GET /api/logs/export; all logs without any), to FILE or standard output.
--status, --ip, --user, --action, --source and --meta may be repeated (any of
the values matches) and each has an --exclude-… form (none of them may match):
--user alice --user bob --exclude-ip 10.0.0.0/8 --meta event.outcome=failure.

  csv     (default) for people and spreadsheets; cells that a spreadsheet would
          run as a formula start with an added ' (docs/api.md, "Reading and exporting logs")
  ndjson  the verifiable export: the checkpoint public keys, every checkpoint
          whose range could hold a matching log, each matching log with its
          MAC, and the hash and summary of each other log in those ranges.
          \`npm run verify -- --file FILE\` checks it offline.`,
  options: {
    ...Object.fromEntries(SINGLE_FLAGS.map((flag) => [flag, { type: "string" as const }])),
    ...Object.fromEntries(LIST_FLAGS.map((flag) => [flag, { type: "string" as const, multiple: true }])),
    out: { type: "string" },
  },
  schema: z.object({ out: z.string().min(1).optional() }).catchall(z.union([z.string(), z.array(z.string())])),
  main: async ({ out, ...flags }) => {
    let filter: LogFilter;
    try {
      filter = parseLogFilter(queryOf(flags), new Date());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      console.error(
        `error: ${((error.details ?? []) as FieldProblem[]).map((p) => `${flagOf(p.field)}: ${p.message}`).join("; ")}`,
      );
      return EXIT_USAGE;
    }
    try {
      const dependencies = {
        publicKeys: getCheckpointSigner().publicKeys(),
        maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
      };
      const chunks = exportChunks(await getDb(), filter, dependencies, (rows, ended) =>
        auditExport(CLI_ACTOR, filter, rows, ended),
      );
      const counts = { bytes: 0, log: 0, omitted: 0, checkpoint: 0 };
      const counted = async function* () {
        for await (const chunk of chunks) {
          counts.bytes += Buffer.byteLength(chunk);
          if (typeof chunk === "string" && filter.format === "ndjson") {
            for (const [, type] of chunk.matchAll(/^\{"type":"(log|omitted|checkpoint)"/gm))
              counts[type as "log" | "omitted" | "checkpoint"]++;
          }
          yield chunk;
        }
      };
      await pipeline(Readable.from(counted()), out ? createWriteStream(out) : process.stdout);
      const to = out ? ` to ${out}` : "";
      console.error(
        filter.format !== "ndjson"
          ? `Exported ${(counts.bytes / 1024).toFixed(1)} KiB of ${filter.format.toUpperCase()}${to}.`
          : `Exported ${counts.log} logs, ${counts.omitted} left out by the filter (as hashes) and ${counts.checkpoint} checkpoints${to}.`,
      );
    } finally {
      await flushAuditEvents();
      await closeMongoClient();
    }
  },
});

/** The flags as the query parameters they stand for (--exclude-meta k=v is exclude_meta.k=v). */
function queryOf(flags: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [flag, given] of Object.entries(flags)) {
    const name = flag.replace(/^exclude-/, EXCLUDE_PREFIX);
    for (const value of Array.isArray(given) ? given : [given]) {
      if (!name.endsWith("meta")) params.append(name, value);
      else {
        // Without "=", the key is empty: the filter says a key is needed.
        const equals = value.indexOf("=");
        params.append(`${name}.${equals < 0 ? "" : value.slice(0, equals)}`, value.slice(equals + 1));
      }
    }
  }
  return params;
}

/** The flag a query parameter came from, for messages. */
function flagOf(parameter: string): string {
  const excluded = parameter.startsWith(EXCLUDE_PREFIX);
  const name = excluded ? parameter.slice(EXCLUDE_PREFIX.length) : parameter;
  const flag = `--${excluded ? "exclude-" : ""}${name.startsWith(META_PREFIX) ? "meta" : name}`;
  return name.startsWith(META_PREFIX) ? `${flag} ${name.slice(META_PREFIX.length)}=…` : flag;
}
