// Rules that judge one log at a time (unknown_network, off_hours,
// new_ip_for_user, rare_hour_for_user, success_after_failures). Each hit is a
// window [time, time + W]; hits of one subject whose windows overlap (at most
// W apart) are one finding, closed once the stream is more than W past it.
import { FIRST_RUN, OpenFinding, type Counting, type Finding, type FindingType, type Severity } from "./finding";

/** Explains a finding from its counts and what its first hit said about itself (`detail`). */
export type Explain<Detail> = (finding: OpenFinding, detail: Detail) => string;

class EventFinding<Detail> extends OpenFinding {
  constructor(
    type: FindingType,
    subject: { ip?: string; user?: string },
    start: number,
    readonly detail: Detail,
  ) {
    super(type, subject, start);
  }
}

export class EventRule<Detail> {
  private readonly open = new Map<string, EventFinding<Detail>>();
  /** At most the earliest end of an open finding (ends only grow): a sweep before it reaches one closes nothing. */
  private earliestEnd = Number.POSITIVE_INFINITY;

  constructor(
    private readonly type: FindingType,
    private readonly severity: Severity,
    private readonly gapMs: number,
    private readonly explain: Explain<Detail>,
    private readonly counting: Counting = FIRST_RUN,
  ) {}

  /** Records a hit for the subject `key`; `detail` is asked for only when a finding opens. */
  hit(
    key: string,
    subject: { ip?: string; user?: string },
    time: number,
    logId: string,
    detail: () => Detail,
    emit: (finding: Finding) => void,
  ): void {
    let finding = this.open.get(key);
    if (finding !== undefined && time - finding.end > this.gapMs) {
      emit(this.close(finding));
      finding = undefined;
    }
    if (finding === undefined) {
      finding = new EventFinding(this.type, subject, time, detail());
      this.open.set(key, finding);
      this.earliestEnd = Math.min(this.earliestEnd, time);
    }
    finding.add(time, logId, this.counting);
  }

  sweep(watermark: number, emit: (finding: Finding) => void): void {
    if (watermark - this.earliestEnd <= this.gapMs) return;
    this.earliestEnd = Number.POSITIVE_INFINITY;
    for (const [key, finding] of this.open) {
      if (watermark - finding.end > this.gapMs) {
        emit(this.close(finding));
        this.open.delete(key);
      } else this.earliestEnd = Math.min(this.earliestEnd, finding.end);
    }
  }

  openFindings(): Finding[] {
    return [...this.open.values()].map((finding) => this.close(finding));
  }

  clear(): void {
    this.open.clear();
    this.earliestEnd = Number.POSITIVE_INFINITY;
  }

  private close(finding: EventFinding<Detail>): Finding {
    return finding.toFinding(this.severity, this.explain(finding, finding.detail));
  }
}
