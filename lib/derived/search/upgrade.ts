// Upgrading a database whose search layout is not whole (made before the
// layout, or left by a rebuild that stopped): at app start each instance
// checks, and if needed rebuilds it in the background (rebuild.ts) while reads
// use the logs collection and ingestion and checkpoints go on. One instance
// rebuilds (the rebuild's lease); the others check again every minute and
// take over if it stops. Progress goes to the app's log.
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "mongodb";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { sequenceSettlements } from "@/lib/records/logs/sequence";
import { unpackSummaries } from "@/lib/records/logs/summaries";
import { readWholeLayout } from "./read";
import { tryRebuildSearchLayout, type RebuildOptions, type RebuildProgress } from "./rebuild";

const RETRY_MS = 60_000;
const CHECKPOINT_POLL_MS = 1_000;
const LOGS_PER_LINE = 100_000;

export type UpgradeOptions = {
  log?: (line: string) => void;
  retryMs?: number;
  rebuild?: Pick<RebuildOptions, "logsPerFlush" | "onProgress">;
};

/** Resolves once the layout is whole (rebuilt here or by another instance), or once a rebuild here could not make it whole. */
export async function upgradeSearchLayout(
  db: Db,
  { log = console.log, retryMs = RETRY_MS, rebuild = {} }: UpgradeOptions = {},
): Promise<void> {
  const reportProgress = progressReporter(log);
  while (!(await readWholeLayout(db))) {
    const started = performance.now();
    const result = await tryRebuildSearchLayout(db, {
      logsPerFlush: rebuild.logsPerFlush,
      beforeStart: async () => {
        await waitForUnsearchableSettlements(db);
        // A new database has nothing to derive: its first checkpoint starts the layout.
        if (await latestCheckpoint(db))
          log(
            "ledgerline: the search layout is not whole: deriving it from the stored logs in the background (reads use the logs collection meanwhile)",
          );
      },
      onProgress: async (progress) => {
        reportProgress(progress);
        await rebuild.onProgress?.(progress);
      },
    });
    if (!result) {
      await sleep(retryMs, undefined, { ref: false });
      continue;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const whole = await readWholeLayout(db);
    if (whole && result.checkpoint === 0) return;
    log(
      `ledgerline: search layout derived from ${result.logs.toLocaleString("en-US")} logs through checkpoint ${result.checkpoint} in ${seconds} s${whole ? "" : "; still not whole (a later checkpoint had logs ingested by an older release): run npm run db:derive"}`,
    );
    return;
  }
}

/** A line every tenth of the expected logs, or every LOGS_PER_LINE logs, whichever comes first. */
function progressReporter(log: (line: string) => void): (progress: RebuildProgress) => void {
  let reported = { logs: 0, tenth: 0 };
  return ({ logs, expected }) => {
    const tenth = Math.floor((logs * 10) / Math.max(1, expected));
    if (logs - reported.logs < LOGS_PER_LINE && tenth <= reported.tenth) return;
    reported = { logs, tenth };
    const percent = Math.min(100, Math.round((logs * 100) / Math.max(1, expected)));
    log(
      `ledgerline: search layout: ${logs.toLocaleString("en-US")} of about ${expected.toLocaleString("en-US")} logs (${percent}%)`,
    );
  };
}

/**
 * Waits until checkpoints cover every settled log whose summary lacks the
 * fields the layout needs (ingested by an earlier release, not yet
 * checkpointed): the rebuild then reads them from the logs, instead of their
 * checkpoint leaving a gap.
 */
async function waitForUnsearchableSettlements(db: Db): Promise<void> {
  const settlements = await sequenceSettlements(db)
    .find({}, { projection: { end: 1, summaries: 1 } })
    .toArray();
  let end = 0;
  for (const settlement of settlements) {
    const summaries = settlement.summaries && unpackSummaries(settlement.summaries);
    if (!summaries || (!summaries.searchable && summaries.logs.length > 0)) end = Math.max(end, settlement.end);
  }
  while (((await latestCheckpoint(db))?.end_sequence ?? 0) < end)
    await sleep(CHECKPOINT_POLL_MS, undefined, { ref: false });
}
