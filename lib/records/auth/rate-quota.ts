// Per-key request quotas (ingestion), shared by every app instance without a
// database write per request. Each fixed window's limit is handed out in
// slices: an instance claims a slice with one inserted event (counted, like
// every rate-limit event, by insert-then-count, so claims are never lost) and
// then serves that many requests from memory. Instances can only under-use
// the limit (an unused slice is wasted), never exceed it. With a limit under
// SLICES_PER_WINDOW, every slice is one request: exact, at one write each.
import type { Db } from "mongodb";
import { countEvents, pruneOccasionally, recordEvent } from "./rate-limit";

export type QuotaDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };
type Policy = { limit: number; windowMs: number; now?: Date };

const SLICES_PER_WINDOW = 10;

/** What this instance holds for one key in one window; `remaining: -1` once the window is used up. */
type Slice = { window: number; remaining: number };

export class RateQuota {
  readonly #slices = new Map<string, Slice>();
  readonly #claims = new Map<string, Promise<void>>();

  async consume(db: Db, key: string, { limit, windowMs, now = new Date() }: Policy): Promise<QuotaDecision> {
    const window = Math.floor(now.getTime() / windowMs);
    const windowEnd = (window + 1) * windowMs;
    const localKey = `${db.databaseName}\u0000${key}`;
    for (;;) {
      const slice = this.#slices.get(localKey);
      if (slice?.window === window && slice.remaining > 0) {
        slice.remaining--;
        return { allowed: true };
      }
      // Claims only ever add up, so a window refused once stays refused.
      if (slice?.window === window && slice.remaining < 0) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
      }
      // One claim at a time per key in this instance; the others wait for it.
      let claim = this.#claims.get(localKey);
      if (!claim) {
        claim = this.#claim(db, key, localKey, { limit, windowMs, window }).finally(() =>
          this.#claims.delete(localKey),
        );
        this.#claims.set(localKey, claim);
      }
      await claim;
    }
  }

  async #claim(
    db: Db,
    key: string,
    localKey: string,
    { limit, windowMs, window }: { limit: number; windowMs: number; window: number },
  ): Promise<void> {
    const sliceSize = Math.max(1, Math.floor(limit / SLICES_PER_WINDOW));
    const windowStart = new Date(window * windowMs);
    const windowKey = `quota:${key}:${window}`;
    await pruneOccasionally(db, windowStart, { keyPrefix: "quota:" });
    await recordEvent(db, windowKey, new Date());
    const claimed = await countEvents(db, windowKey, windowStart);
    this.#slices.set(localKey, { window, remaining: claimed * sliceSize > limit ? -1 : sliceSize });
  }
}
