// Exports streamed at once by this process. Each reads the database for as
// long as its client downloads and adds about 100 MB to the process's RSS (a
// verifiable NDJSON export holds up to 20,000 logs while it puts them back in
// sequence order: lib/records/logs/sequence-order.ts), so twenty at once take an
// instance from 160 MB to 1.1 GB and other requests to seconds each. The rest
// wait their turn, for at most 30 s, or are refused with 503 server_busy.
import { getConfig } from "@/lib/foundation/config";
import { ConcurrencyLimit } from "@/lib/foundation/util/concurrency-limit";

const MAX_EXPORT_WAIT_MS = 30_000;
// An export takes seconds to minutes: a refused one comes back after the next has had time to finish.
const EXPORT_RETRY_AFTER_SECONDS = 10;

let exporting: ConcurrencyLimit | undefined;

export function exportLimit(): ConcurrencyLimit {
  const { exportConcurrency, exportQueue } = getConfig();
  exporting ??= new ConcurrencyLimit({
    concurrency: exportConcurrency,
    maxQueue: exportQueue,
    maxWaitMs: MAX_EXPORT_WAIT_MS,
    name: "exports",
    retryAfterSeconds: EXPORT_RETRY_AFTER_SECONDS,
  });
  return exporting;
}
