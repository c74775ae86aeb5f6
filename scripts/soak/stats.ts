// What the soak's clients saw: every answer by status, latencies, the log ids
// sent, acknowledged and given up, and what the app refused or failed with.

/** An answer a client is told to retry: the rate limit, or the database away, both with Retry-After. */
const RETRY_STATUSES = new Set([429, 503]);

export type Unexpected = { status: number; code?: string; detail: string };

export class SoakStats {
  requests = 0;
  networkErrors = 0;
  hungRequests: string[] = [];
  duplicates = 0;
  readonly statuses = new Map<string, number>();
  readonly latenciesMs: number[] = [];
  readonly sentIds = new Set<string>();
  readonly acknowledgedIds = new Set<string>();
  readonly gaveUpIds = new Set<string>();
  readonly unexpected: Unexpected[] = [];
  /** Each batch's attempts and what they got, under its first log id, for explaining a lost log. */
  readonly attempts = new Map<string, string[]>();
  /** Requests waiting for an answer, per instance URL. */
  readonly inFlight = new Map<string, number>();

  begin(url: string): void {
    this.inFlight.set(url, (this.inFlight.get(url) ?? 0) + 1);
  }

  end(url: string): void {
    this.inFlight.set(url, (this.inFlight.get(url) ?? 1) - 1);
  }

  private readonly batchOf = new Map<string, string>();

  attempted(ids: string[], outcome: string): void {
    const key = ids[0];
    if (key === undefined) return;
    if (!this.attempts.has(key)) for (const id of ids) this.batchOf.set(id, key);
    this.attempts.set(key, [...(this.attempts.get(key) ?? []), `${new Date().toISOString()} ${outcome}`]);
  }

  /** The attempts of the batches that held these log ids. */
  attemptsOf(ids: string[]): string[] {
    const batches = new Set(ids.flatMap((id) => this.batchOf.get(id) ?? []));
    return [...batches].flatMap((first) => [
      `batch ${first}:`,
      ...(this.attempts.get(first) ?? []).map((entry) => `  ${entry}`),
    ]);
  }

  sent(ids: string[]): void {
    for (const id of ids) this.sentIds.add(id);
  }

  answered(status: number, code: string | undefined, latencyMs: number, hasRetryAfter: boolean): void {
    this.requests++;
    this.latenciesMs.push(latencyMs);
    const label = code ? `${status} ${code}` : String(status);
    this.statuses.set(label, (this.statuses.get(label) ?? 0) + 1);
    if (status >= 500 && !(RETRY_STATUSES.has(status) && hasRetryAfter))
      this.unexpected.push({ status, code, detail: "a 5xx that is not a documented 503 with Retry-After" });
  }

  refused(format: string, status: number, body: unknown): void {
    this.unexpected.push({ status, detail: `${format} batch refused: ${JSON.stringify(body).slice(0, 300)}` });
  }

  /** `request`: when it was sent and where. */
  hung(request: string): void {
    this.requests++;
    this.hungRequests.push(request);
  }

  networkError(): void {
    this.requests++;
    this.networkErrors++;
  }

  acknowledged(ids: string[], duplicates: number): void {
    for (const id of ids) this.acknowledgedIds.add(id);
    this.duplicates += duplicates;
  }

  gaveUp(ids: string[]): void {
    for (const id of ids) this.gaveUpIds.add(id);
  }
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}
