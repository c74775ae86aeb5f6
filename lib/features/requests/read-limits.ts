// Long reads served at once by this process; the rest wait their turn, for at
// most 30 s, or are refused with 503 server_busy and Retry-After: 10 (a read
// takes seconds to minutes: a refused one comes back after the next has had
// time to finish).
//
// An export reads the database for as long as its client downloads and adds
// about 100 MB to the process's RSS (a verifiable NDJSON export holds up to
// 20,000 logs while it puts them back in sequence order:
// lib/records/logs/sequence-order.ts), so twenty at once take an instance from
// 160 MB to 1.1 GB and other requests to seconds each. An on-demand detection
// run reads every log of its range (up to ANOMALIES_MAX_RANGE_DAYS), a full
// scan each on the embedded server.
import { getConfig } from "@/lib/foundation/config";
import { ConcurrencyLimit } from "@/lib/foundation/util/concurrency-limit";

const MAX_WAIT_MS = 30_000;
const RETRY_AFTER_SECONDS = 10;

let exporting: ConcurrencyLimit | undefined;
let detecting: ConcurrencyLimit | undefined;

export function exportLimit(): ConcurrencyLimit {
  const { exportConcurrency, exportQueue } = getConfig();
  exporting ??= longReadLimit("exports", exportConcurrency, exportQueue);
  return exporting;
}

/** For GET /api/anomalies and its stream. */
export function detectionLimit(): ConcurrencyLimit {
  const { anomaliesConcurrency, anomaliesQueue } = getConfig();
  detecting ??= longReadLimit("anomaly detection runs", anomaliesConcurrency, anomaliesQueue);
  return detecting;
}

function longReadLimit(name: string, concurrency: number, maxQueue: number): ConcurrencyLimit {
  return new ConcurrencyLimit({
    concurrency,
    maxQueue,
    maxWaitMs: MAX_WAIT_MS,
    name,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
}
