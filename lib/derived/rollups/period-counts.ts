// What logs and alerts add up to over one period (or a window of periods):
// logs and failed logs, per quarter, per ip, user and action, and alerts per
// type and severity. The same sums serve the writer (a checkpoint's
// contribution, a cumulative period document) and the reader (a window).
import type { FindingType, Severity } from "@/lib/records/anomaly";
import type { LogSummary } from "@/lib/records/logs/summaries";
import { quarterStartOf } from "./periods";

/** One value's counts: v the value, t its logs, f its failed logs. */
export type RollupEntry = { v: string; t: number; f: number };
export type RollupDimension = "ips" | "users" | "actions";
export const ROLLUP_DIMENSIONS: readonly RollupDimension[] = ["ips", "users", "actions"];
export type QuarterCount = { start: Date; total: number; failed: number };
export type AlertTally = { type: FindingType; severity: Severity; n: number };
export type CountedLog = Pick<LogSummary, "time" | "ip" | "user" | "action" | "status">;

/** The stored form; values hold dots (IP addresses), so they are array values, never field names. */
export type CountFields = { total: number; failed: number; quarters: QuarterCount[]; alerts: AlertTally[] } & Record<
  RollupDimension,
  RollupEntry[]
>;

export class PeriodCounts {
  total = 0;
  failed = 0;
  readonly quarters = new Map<number, { total: number; failed: number }>();
  readonly values: Record<RollupDimension, Map<string, { t: number; f: number }>> = {
    ips: new Map(),
    users: new Map(),
    actions: new Map(),
  };
  readonly alerts = new Map<string, AlertTally>();

  /** `quarter` is the start of the log's quarter, for callers that know it already. */
  addLog(log: CountedLog, quarter = quarterStartOf(log.time.getTime())): void {
    const failed = log.status === "failed" ? 1 : 0;
    this.#addQuarter(quarter, 1, failed);
    if (log.ip != null) this.#addValue("ips", log.ip, 1, failed);
    this.#addValue("users", log.user, 1, failed);
    this.#addValue("actions", log.action, 1, failed);
  }

  /** `n` is negative when an alert moved out of this tally (its severity rose, or it now starts earlier). */
  addAlert(type: FindingType, severity: Severity, n: number): void {
    const key = `${type}/${severity}`;
    const tally = this.alerts.get(key) ?? { type, severity, n: 0 };
    tally.n += n;
    this.alerts.set(key, tally);
  }

  /** Only the totals, as a totals-only read of a document holds them. */
  addTotals(total: number, failed: number): void {
    this.total += total;
    this.failed += failed;
  }

  addFields(fields: CountFields): void {
    for (const quarter of fields.quarters) this.#addQuarter(quarter.start.getTime(), quarter.total, quarter.failed);
    for (const dimension of ROLLUP_DIMENSIONS)
      for (const entry of fields[dimension]) this.#addValue(dimension, entry.v, entry.t, entry.f);
    for (const tally of fields.alerts) this.addAlert(tally.type, tally.severity, tally.n);
  }

  /** Adds another tally's counts, as addFields(other.toFields()) would. */
  addCounts(other: PeriodCounts): void {
    for (const [start, sum] of other.quarters) this.#addQuarter(start, sum.total, sum.failed);
    for (const dimension of ROLLUP_DIMENSIONS)
      for (const [value, sum] of other.values[dimension]) this.#addValue(dimension, value, sum.t, sum.f);
    for (const tally of other.alerts.values()) if (tally.n !== 0) this.addAlert(tally.type, tally.severity, tally.n);
  }

  /** Sorted, so that two writers deriving the same checkpoint store the same document. */
  toFields(): CountFields {
    return {
      total: this.total,
      failed: this.failed,
      quarters: [...this.quarters.keys()]
        .sort(byNumber)
        .map((start) => ({ start: new Date(start), ...this.quarters.get(start)! })),
      ips: valueEntries(this.values.ips),
      users: valueEntries(this.values.users),
      actions: valueEntries(this.values.actions),
      alerts: [...this.alerts.keys()].sort().flatMap((key) => {
        const tally = this.alerts.get(key)!;
        return tally.n === 0 ? [] : [{ ...tally }];
      }),
    };
  }

  #addQuarter(start: number, total: number, failed: number): void {
    this.total += total;
    this.failed += failed;
    const sum = this.quarters.get(start);
    if (sum === undefined) this.quarters.set(start, { total, failed });
    else {
      sum.total += total;
      sum.failed += failed;
    }
  }

  #addValue(dimension: RollupDimension, value: string, t: number, f: number): void {
    const sums = this.values[dimension];
    const sum = sums.get(value);
    if (sum === undefined) sums.set(value, { t, f });
    else {
      sum.t += t;
      sum.f += f;
    }
  }
}

function byNumber(a: number, b: number): number {
  return a - b;
}

// The default sort orders strings by UTF-16 code units, as `<` does.
function valueEntries(sums: Map<string, { t: number; f: number }>): RollupEntry[] {
  return [...sums.keys()].sort().map((v) => {
    const { t, f } = sums.get(v)!;
    return { v, t, f };
  });
}
