// On-demand detection as a stream of events for someone waiting on it (the
// findings page, through GET /api/anomalies/stream): the range, then progress
// as the range's logs are read, each finding as it closes, and the totals or
// what stopped it. A slow reader holds detection back; one that leaves stops it.
import type { Db } from "mongodb";
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import type { Finding } from "@/lib/records/anomaly/finding";
import type { AnomalyRange } from "@/lib/records/anomaly/range-params";
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";
import { streamAnomalies } from "./find-anomalies";

export type DetectionEvent =
  | { event: "started"; from: Date; to: Date }
  | { event: "progress"; analysed: number; through: Date; fraction: number }
  | { event: "finding"; finding: Omit<Finding, "repeated"> }
  | { event: "done"; findings: number; analysed: number; baseline_logs: number }
  | { event: "failed"; message: string };

/** Events queued at most before detection waits for the reader. */
const HIGH_WATER = 256;

class ReaderLeft extends Error {}

/** The fraction of [from, to] that lies before `through`. */
export function fractionOf({ from, to }: Pick<AnomalyRange, "from" | "to">, through: Date): number {
  const span = to.getTime() - from.getTime();
  return span <= 0 ? 1 : Math.min(1, Math.max(0, (through.getTime() - from.getTime()) / span));
}

export async function* detectionEvents(
  db: Db,
  range: AnomalyRange,
  config: DetectionConfig,
): AsyncGenerator<DetectionEvent> {
  const queue: DetectionEvent[] = [];
  let wakeReader: (() => void) | undefined;
  let resumeDetection: (() => void) | undefined;
  let isOver = false;
  let hasLeft = false;

  const push = async (...events: DetectionEvent[]) => {
    if (hasLeft) throw new ReaderLeft();
    queue.push(...events);
    wakeReader?.();
    if (queue.length >= HIGH_WATER) await new Promise<void>((resume) => (resumeDetection = resume));
    if (hasLeft) throw new ReaderLeft();
  };

  let findings = 0;
  const run = streamAnomalies(
    db,
    range,
    config,
    (batch) => {
      findings += batch.length;
      return push(...batch.map(({ repeated: _repeated, ...finding }) => ({ event: "finding" as const, finding })));
    },
    {
      onProgress: ({ analysed, through }) =>
        push({ event: "progress", analysed, through, fraction: fractionOf(range, through) }),
    },
  )
    .then(({ analysed, baselineLogs }) => push({ event: "done", findings, analysed, baseline_logs: baselineLogs }))
    .catch((error: unknown) => {
      if (error instanceof ReaderLeft) return;
      if (!isDatabaseUnavailable(error)) console.error("ledgerline: on-demand detection failed:", error);
      queue.push({
        event: "failed",
        message:
          "Reading the logs of this range failed, most often because the database was briefly unreachable. Try again, or pick a shorter range.",
      });
    })
    .finally(() => {
      isOver = true;
      wakeReader?.();
    });

  try {
    yield { event: "started", from: range.from, to: range.to };
    for (;;) {
      const next = queue.shift();
      if (next) {
        resumeDetection?.();
        resumeDetection = undefined;
        yield next;
        continue;
      }
      if (isOver) return;
      await new Promise<void>((wake) => (wakeReader = wake));
      wakeReader = undefined;
    }
  } finally {
    hasLeft = true;
    resumeDetection?.();
    await run;
  }
}
