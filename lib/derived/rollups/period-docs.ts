// Rollups: cumulative counts per UTC day, hour and quarter (see periods.ts),
// one document per period under its string id, and one "all" document with
// the alerts of all time. Each document says which checkpoint it counts
// through; derivation adds checkpoint N to a document only if it is not there
// yet, so it stays idempotent and two writers of N store the same document.
//
// Each UTC day has two collections: one with the day's document, one with
// its hours and quarters (at most 24 + 96). A day's documents are read and
// written together (an $in over one small collection), so collections per day
// bound each read to one day's documents however long the history; on
// MongoDB they cost nothing.
import type { Db } from "mongodb";
import type { FindingType, Severity } from "@/lib/records/anomaly";
import {
  PeriodCounts,
  ROLLUP_DIMENSIONS,
  type CountedLog,
  type CountFields,
  type RollupDimension,
} from "./period-counts";
import {
  identifiedPeriodsOfQuarter,
  periodId,
  periodsOfQuarter,
  quarterOf,
  quarterStartOf,
  type Period,
  type PeriodLevel,
} from "./periods";

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
  /**
   * On the "all" document, set by a rebuild: of the alerts counted, how many
   * were not open then for reasons the recorded status changes do not show
   * (restored, or stored by hand, already acknowledged or resolved).
   */
  open_offset?: number;
};

/**
 * As stored: the per-quarter series and the values packed into one JSON
 * string. The embedded server decodes every element of every array it reads
 * (a day's document holds thousands); one string costs it next to nothing.
 */
export type StoredPeriodDoc = Omit<PeriodDoc, "quarters" | RollupDimension> & { packed?: string };
type Packed = { quarters: [number, number, number][] } & Record<RollupDimension, [string, number, number][]>;

export function packPeriod({ quarters, ips, users, actions, ...rest }: PeriodDoc): StoredPeriodDoc {
  const packed: Packed = {
    quarters: quarters.map((quarter) => [quarter.start.getTime(), quarter.total, quarter.failed]),
    ips: ips.map((entry) => [entry.v, entry.t, entry.f]),
    users: users.map((entry) => [entry.v, entry.t, entry.f]),
    actions: actions.map((entry) => [entry.v, entry.t, entry.f]),
  };
  return { ...rest, packed: JSON.stringify(packed) };
}

/** A document read without `packed` (a totals-only read) has no quarters and no values. */
export function unpackPeriod({ packed, ...rest }: StoredPeriodDoc): PeriodDoc {
  const parsed: Packed = packed ? (JSON.parse(packed) as Packed) : { quarters: [], ips: [], users: [], actions: [] };
  const values = Object.fromEntries(
    ROLLUP_DIMENSIONS.map((dimension) => [dimension, parsed[dimension].map(([v, t, f]) => ({ v, t, f }))]),
  ) as Record<RollupDimension, CountFields["ips"]>;
  return {
    ...rest,
    quarters: parsed.quarters.map(([start, total, failed]) => ({ start: new Date(start), total, failed })),
    ...values,
  };
}

const COLLECTION_PREFIX = "rollups_";

/** "rollups_20250106" for the day 2025-01-06, "rollups_20250106_parts" for its hours and quarters, "rollups_all" for the all-time document. */
export function periodCollectionName(id: string): string {
  if (id === ALL_TIME_ID) return COLLECTION_PREFIX + ALL_TIME_ID;
  return `${COLLECTION_PREFIX}${id.slice(2, 12).replaceAll("-", "")}${id.startsWith("d:") ? "" : "_parts"}`;
}

/** The collection holding the document `id`. */
export function periodsCollection(db: Db, id: string) {
  return db.collection<StoredPeriodDoc>(periodCollectionName(id));
}

/** Ids grouped by the collection that holds them. */
export function groupByCollection(ids: Iterable<string>): string[][] {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const name = periodCollectionName(id);
    groups.set(name, [...(groups.get(name) ?? []), id]);
  }
  return [...groups.values()];
}

export async function periodCollectionNames(db: Db): Promise<string[]> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections
    .map((collection) => collection.name)
    .filter((name) => name.startsWith(COLLECTION_PREFIX))
    .sort();
}

/** Every period document (a rebuild's and the tests' view; the dashboard never lists them). */
export async function allPeriodDocs(db: Db): Promise<PeriodDoc[]> {
  const docs: PeriodDoc[] = [];
  for (const name of await periodCollectionNames(db))
    docs.push(...(await db.collection<StoredPeriodDoc>(name).find().sort({ _id: 1 }).toArray()).map(unpackPeriod));
  return docs;
}

export async function dropAllPeriods(db: Db): Promise<number> {
  const names = await periodCollectionNames(db);
  for (const name of names) await db.collection(name).drop();
  return names.length;
}

export type Contribution = { id: string; level: PeriodDoc["level"]; start: number; counts: PeriodCounts };

/** What some logs and alerts add to each period they touch. */
export class Contributions {
  readonly #byId = new Map<string, Contribution>();
  /** The counts of each quarter's day, hour and quarter, by quarter start: a checkpoint's logs fall in few quarters. */
  readonly #byQuarter = new Map<number, PeriodCounts[]>();

  constructor() {
    // Every checkpoint touches the "all" document, so that it exists from checkpoint 1 on (see `complete`).
    this.#allTime();
  }

  addLog(log: CountedLog): void {
    const quarter = quarterStartOf(log.time.getTime());
    for (const counts of this.#countsOfQuarter(quarter)) counts.addLog(log, quarter);
  }

  /** Alerts count in the quarter their window starts in. */
  addAlert(start: Date, type: FindingType, severity: Severity, n: number): void {
    for (const period of periodsOfQuarter(quarterOf(start).getTime()))
      this.#of(period).counts.addAlert(type, severity, n);
    this.#allTime().counts.addAlert(type, severity, n);
  }

  get size(): number {
    return this.#byId.size;
  }

  values(): Iterable<Contribution> {
    return this.#byId.values();
  }

  #of(period: Period, id = periodId(period)): Contribution {
    let contribution = this.#byId.get(id);
    if (!contribution) this.#byId.set(id, (contribution = { id, ...period, counts: new PeriodCounts() }));
    return contribution;
  }

  #countsOfQuarter(quarter: number): PeriodCounts[] {
    let counts = this.#byQuarter.get(quarter);
    if (counts === undefined)
      this.#byQuarter.set(
        quarter,
        (counts = identifiedPeriodsOfQuarter(quarter).map(({ id, ...period }) => this.#of(period, id).counts)),
      );
    return counts;
  }

  #allTime(): Contribution {
    let contribution = this.#byId.get(ALL_TIME_ID);
    if (!contribution)
      this.#byId.set(
        ALL_TIME_ID,
        (contribution = { id: ALL_TIME_ID, level: "all", start: 0, counts: new PeriodCounts() }),
      );
    return contribution;
  }
}

/** The document after adding `contribution` (checkpoint `through`) to `stored`. */
export function addToPeriod(
  stored: PeriodDoc | null,
  contribution: Contribution,
  through: { number: number; end_sequence: number },
): PeriodDoc {
  return {
    _id: contribution.id,
    level: contribution.level,
    start: new Date(contribution.start),
    ...(stored ? sumOf(stored, contribution.counts) : contribution.counts.toFields()),
    through: through.number,
    through_end: through.end_sequence,
    ...(contribution.level === "all" && {
      complete: stored ? stored.complete !== false : through.number === 1,
      open_offset: stored?.open_offset ?? 0,
    }),
  };
}

function sumOf(stored: CountFields, added: PeriodCounts): CountFields {
  const counts = new PeriodCounts();
  counts.addFields(stored);
  counts.addCounts(added);
  return counts.toFields();
}
