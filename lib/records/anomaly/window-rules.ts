// Sliding-window rules over failed events: failure_burst (per IP),
// targeted_account (per user) and password_spraying (per IP, counting distinct
// users). The window is inclusive: two failures exactly W apart share it.
// Qualifying windows of one subject that overlap (or touch) are one finding;
// it closes once no later window can reach back to it.
import {
  FIRST_RUN,
  OpenFinding,
  formatDuration,
  plainText,
  plural,
  quotedUser,
  type Counting,
  type Finding,
  type FindingType,
} from "./finding";
import { windowRuleSeverity } from "./severity";

export type WindowRuleSpec = {
  type: Extract<FindingType, "failure_burst" | "targeted_account" | "password_spraying">;
  subject: "ip" | "user";
  windowMs: number;
  /** Failures in one window, or with `countsDistinct`, distinct labels (users) among them. */
  threshold: number;
  countsDistinct: boolean;
};

/** Distinct labels remembered per finding, for its explanation only. */
const MAX_LABELS = 1_000;
/** Compact a key's arrays once this many dropped entries sit at their front. */
const COMPACT_AFTER = 1_024;

class WindowFinding extends OpenFinding {
  /** Position (counted from the key's first failure) of the last failure included. */
  lastIncluded = -1;
  readonly labels = new Set<string>();
}

/** One subject's failures within the window, oldest first, in parallel arrays. */
class SubjectWindow {
  times: number[] = [];
  ids: string[] = [];
  labels: string[] = [];
  head = 0;
  /** Failures ever dropped from the front: position of times[head]. */
  dropped = 0;
  labelCounts: Map<string, number> | undefined;
  open: WindowFinding | undefined;

  constructor(countsDistinct: boolean) {
    if (countsDistinct) this.labelCounts = new Map();
  }

  get size(): number {
    return this.times.length - this.head;
  }

  push(time: number, id: string, label: string): void {
    this.times.push(time);
    this.ids.push(id);
    this.labels.push(label);
    if (this.labelCounts) this.labelCounts.set(label, (this.labelCounts.get(label) ?? 0) + 1);
  }

  /** The time of the oldest failure held or the open finding's end, whichever is earlier. */
  earliest(): number {
    return Math.min(
      this.size > 0 ? this.times[this.head]! : Number.POSITIVE_INFINITY,
      this.open?.end ?? Number.POSITIVE_INFINITY,
    );
  }

  /** Drops failures before `limit` (a failure at exactly `limit` stays). */
  dropBefore(limit: number): void {
    while (this.head < this.times.length && this.times[this.head]! < limit) {
      if (this.labelCounts) {
        const label = this.labels[this.head]!;
        const left = this.labelCounts.get(label)! - 1;
        if (left === 0) this.labelCounts.delete(label);
        else this.labelCounts.set(label, left);
      }
      this.head++;
      this.dropped++;
    }
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.times.length) {
      this.times = this.times.slice(this.head);
      this.ids = this.ids.slice(this.head);
      this.labels = this.labels.slice(this.head);
      this.head = 0;
    }
  }
}

export class WindowRule {
  private readonly subjects = new Map<string, SubjectWindow>();
  /**
   * At most the earliest failure or open finding's end of any subject: a
   * sweep whose window starts at or before it drops, closes and forgets nothing.
   */
  private earliest = Number.POSITIVE_INFINITY;

  constructor(
    private readonly spec: WindowRuleSpec,
    private readonly counting: Counting = FIRST_RUN,
  ) {}

  /** Records one failure; `key` is its subject (IP or user), `label` the other field (user or IP). */
  add(key: string, label: string, time: number, logId: string, emit: (finding: Finding) => void): void {
    let window = this.subjects.get(key);
    if (window === undefined) {
      window = new SubjectWindow(this.spec.countsDistinct);
      this.subjects.set(key, window);
    }
    window.dropBefore(time - this.spec.windowMs);
    window.push(time, logId, label);
    this.earliest = Math.min(this.earliest, time);
    const measure = window.labelCounts ? window.labelCounts.size : window.size;
    if (measure < this.spec.threshold) return;
    let open = window.open;
    if (open === undefined || window.times[window.head]! > open.end) {
      if (open !== undefined) emit(this.close(open));
      open = new WindowFinding(this.spec.type, { [this.spec.subject]: key }, window.times[window.head]!);
      window.open = open;
    }
    // Failures after the finding's end but inside this window join it now.
    for (
      let position = Math.max(open.lastIncluded + 1, window.dropped);
      position < window.dropped + window.size;
      position++
    ) {
      const index = window.head + position - window.dropped;
      open.add(window.times[index]!, window.ids[index]!, this.counting);
      if (open.labels.size < MAX_LABELS) open.labels.add(window.labels[index]!);
    }
    open.lastIncluded = window.dropped + window.size - 1;
  }

  /** The subject's open finding if its last failure lies at most one window before `time`. */
  recentFinding(key: string, time: number): OpenFinding | undefined {
    const open = this.subjects.get(key)?.open;
    return open !== undefined && time - open.end <= this.spec.windowMs ? open : undefined;
  }

  /** Closes findings no window after `watermark` can reach, and forgets idle subjects. */
  sweep(watermark: number, emit: (finding: Finding) => void): void {
    if (this.earliest >= watermark - this.spec.windowMs) return;
    this.earliest = Number.POSITIVE_INFINITY;
    for (const [key, window] of this.subjects) {
      window.dropBefore(watermark - this.spec.windowMs);
      if (window.open !== undefined && watermark - window.open.end > this.spec.windowMs) {
        emit(this.close(window.open));
        window.open = undefined;
      }
      if (window.size === 0 && window.open === undefined) this.subjects.delete(key);
      else this.earliest = Math.min(this.earliest, window.earliest());
    }
  }

  /** Every open finding, closed (at the end of a stream) or as a snapshot. */
  openFindings(): Finding[] {
    return [...this.subjects.values()].flatMap((window) => (window.open ? [this.close(window.open)] : []));
  }

  /** Forgets every open finding: call after openFindings() at the end of a stream. */
  clear(): void {
    this.subjects.clear();
    this.earliest = Number.POSITIVE_INFINITY;
  }

  private close(open: WindowFinding): Finding {
    const { type, threshold, windowMs } = this.spec;
    const distinct = (noun: string) =>
      open.labels.size >= MAX_LABELS ? `${MAX_LABELS}+ ${noun}s` : plural(open.labels.size, noun);
    const span = `within ${formatDuration(open.end - open.start)}`;
    const failed = plural(open.count, "failed event");
    const window = formatDuration(windowMs);
    switch (type) {
      case "failure_burst":
        return open.toFinding(
          windowRuleSeverity(open.count, threshold),
          `${failed} from ${plainText(open.subject.ip!)} against ${distinct("user")} ${span} (threshold ${threshold} in ${window})`,
        );
      case "targeted_account":
        return open.toFinding(
          windowRuleSeverity(open.count, threshold),
          `${failed} against ${quotedUser(open.subject.user!)} from ${distinct("IP")} ${span} (threshold ${threshold} in ${window})`,
        );
      case "password_spraying":
        return open.toFinding(
          windowRuleSeverity(open.labels.size, threshold),
          `${failed} from ${plainText(open.subject.ip!)} against ${distinct("distinct user")} ${span} (threshold ${threshold} users in ${window})`,
        );
    }
  }
}
