// Rollups: cumulative counts per UTC day, hour and quarter (see periods.ts),
// one document per period under its string id, and one "all" document with
// the alerts of all time. Each document says which checkpoint it counts
// through; derivation adds checkpoint N to a document only if it is not there
// yet, so it stays idempotent and two writers of N store the same document.
import type { Db } from "mongodb";
import type { FindingType, Severity } from "@/lib/anomaly";
import { COLLECTIONS } from "@/lib/db/collections";
import { PeriodCounts, type CountedLog, type CountFields } from "./period-counts";
import { periodId, periodsOfQuarter, quarterOf, type Period, type PeriodLevel } from "./periods";

export const ALL_TIME_ID = "all";

export type PeriodDoc = CountFields & {
  _id: string;
  level: PeriodLevel | "all";
  start: Date;
  /** The last checkpoint whose logs and alerts are counted, and that checkpoint's end_sequence. */
  through: number;
  through_end: number;
  /** On the "all" document: false when it was started after earlier checkpoints, whose alerts it misses (run npm run db:rollups). */
  complete?: boolean;
};

export function periodsCollection(db: Db) {
  return db.collection<PeriodDoc>(COLLECTIONS.periods);
}

export type Contribution = { id: string; level: PeriodDoc["level"]; start: number; counts: PeriodCounts };

/** What some logs and alerts add to each period they touch. */
export class Contributions {
  readonly #byId = new Map<string, Contribution>();

  constructor() {
    // Every checkpoint touches the "all" document, so that it exists from checkpoint 1 on (see `complete`).
    this.#allTime();
  }

  addLog(log: CountedLog): void {
    for (const period of periodsOfQuarter(quarterOf(log.time).getTime())) this.#of(period).counts.addLog(log);
  }

  /** Alerts count in the quarter their window starts in. */
  addAlert(start: Date, type: FindingType, severity: Severity, n: number): void {
    for (const period of periodsOfQuarter(quarterOf(start).getTime())) this.#of(period).counts.addAlert(type, severity, n);
    this.#allTime().counts.addAlert(type, severity, n);
  }

  get size(): number {
    return this.#byId.size;
  }

  values(): Iterable<Contribution> {
    return this.#byId.values();
  }

  #of(period: Period): Contribution {
    const id = periodId(period);
    let contribution = this.#byId.get(id);
    if (!contribution) this.#byId.set(id, (contribution = { id, ...period, counts: new PeriodCounts() }));
    return contribution;
  }

  #allTime(): Contribution {
    let contribution = this.#byId.get(ALL_TIME_ID);
    if (!contribution) this.#byId.set(ALL_TIME_ID, (contribution = { id: ALL_TIME_ID, level: "all", start: 0, counts: new PeriodCounts() }));
    return contribution;
  }
}

/** The document after adding `contribution` (checkpoint `through`) to `stored`. */
export function addToPeriod(stored: PeriodDoc | null, contribution: Contribution, through: { number: number; end_sequence: number }): PeriodDoc {
  const counts = new PeriodCounts();
  if (stored) counts.addFields(stored);
  counts.addFields(contribution.counts.toFields());
  return {
    _id: contribution.id,
    level: contribution.level,
    start: new Date(contribution.start),
    ...counts.toFields(),
    through: through.number,
    through_end: through.end_sequence,
    ...(contribution.level === "all" && { complete: stored ? stored.complete !== false : through.number === 1 }),
  };
}
