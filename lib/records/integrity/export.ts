// Streams the verifiable export (format in export-format.ts). For every
// checkpoint range it touches it carries the checkpoint and every sequence of
// the range, as a `log` line when the log matches the filter and an `omitted`
// line otherwise, so the public key alone proves both that the included logs
// are authentic and that no matching log in those ranges was left out.
//
// Which ranges: every checkpoint a matching log could be in. A log's event
// time is at most max_future_skew after its receive time, and every log a
// checkpoint covers was received before that checkpoint's created_at. So the
// last checkpoint created before `from - skew` (the anchor) and all before it
// hold no log that `from` accepts; the export includes the anchor itself, then
// every range after it up to the latest checkpoint (late logs with old
// timestamps can arrive any time), then the matching logs not yet checkpointed.
// Ranges the retention job purged are left out (the anchor moves past them).
import type { Db } from "mongodb";
import type { ExportSelection } from "@/lib/records/logs/export-selection";
import type { StoredLog } from "@/lib/records/logs/record";
import { logsInOrder, logsSortedBySequence } from "@/lib/records/logs/sequence-order";
import { publicKeySetFromJson, type PublicKeyInfo } from "./checkpoint-keys";
import {
  checkpointsCollection,
  lastCheckpointCreatedBefore,
  latestCheckpoint,
  toSignedCheckpoint,
} from "./checkpoints";
import { EXPORT_VERSION, logLine, omittedLine, type ExportLine } from "./export-format";
import { latestValidPurge } from "./purge-record";

export type ExportOptions = {
  publicKeys: PublicKeyInfo[];
  maxFutureSkewMs: number;
  now?: Date;
  /** Logs sorted by the server, for a second attempt after OutOfOrderError (see lib/records/logs/sequence-order.ts). */
  serverSorted?: boolean;
};

export async function* verifiableExport(
  db: Db,
  selection: ExportSelection,
  options: ExportOptions,
): AsyncGenerator<ExportLine> {
  const latest = await latestCheckpoint(db);
  const byTime =
    latest && selection.from
      ? await lastCheckpointCreatedBefore(db, new Date(selection.from.getTime() - options.maxFutureSkewMs))
      : null;
  // Ranges the retention job purged have no logs left to export: start after them.
  const purge = latest ? await latestValidPurge(db, publicKeySetFromJson({ keys: options.publicKeys })) : null;
  const purgedThrough =
    purge && purge.through_checkpoint > (byTime?.number ?? 0)
      ? await checkpointsCollection(db).findOne({ _id: purge.through_checkpoint })
      : null;
  const anchor = purgedThrough ? toSignedCheckpoint(purgedThrough) : byTime;
  const last = latest?.number ?? 0;
  yield {
    type: "export",
    version: EXPORT_VERSION,
    created_at: (options.now ?? new Date()).toISOString(),
    filter: selection.query,
    max_future_skew_seconds: Math.ceil(options.maxFutureSkewMs / 1000),
    first_checkpoint: (anchor?.number ?? 0) + 1,
    last_checkpoint: last,
  };
  for (const key of options.publicKeys) yield { type: "key", ...key };
  if (anchor) yield { type: "checkpoint", ...anchor };

  // A log too far from its place in natural order ends the export with OutOfOrderError.
  const range = { from: anchor?.end_sequence ?? 0 };
  const logs = options.serverSorted ? logsSortedBySequence(db, range) : logsInOrder(db, range);
  const read = async () => (await logs.next()).value ?? null;
  let next = await read();
  if ((anchor?.number ?? 0) < last) {
    for await (const stored of checkpointsCollection(db)
      .find({ _id: { $gt: anchor?.number ?? 0, $lte: last } })
      .sort({ _id: 1 })) {
      const checkpoint = toSignedCheckpoint(stored);
      yield { type: "checkpoint", ...checkpoint };
      for (; next && next.sequence < checkpoint.end_sequence; next = await read()) {
        yield selection.matches(filterable(next)) ? logLine(next) : omittedLine(next);
      }
    }
  }
  // Not yet checkpointed: only what matches (nothing proves the rest yet).
  for (; next; next = await read()) {
    if (selection.matches(filterable(next))) yield logLine(next);
  }
  await logs.return(undefined);
}

function filterable(log: StoredLog) {
  return {
    time: log.time,
    ip: log.ip,
    user: log.user,
    action: log.action,
    status: log.status,
    source: log.source,
    ingested_by: log.ingested_by,
    message: log.message,
    metadata: log.metadata,
  };
}

/** Serialises lines as NDJSON text, in chunks of about 64 KiB. */
export async function* ndjsonChunks(lines: AsyncIterable<ExportLine>): AsyncGenerator<string> {
  let chunk = "";
  for await (const line of lines) {
    chunk += `${JSON.stringify(line)}\n`;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
