// Leases: one holder at a time for a job that several app instances (or a
// CLI beside them) may start. A lease is a chain of terms, each an
// insert-only document `<name>#<term>`: taking the lease inserts the next
// term, and the unique _id lets exactly one taker win, on both backends (the
// embedded server's conditional updates are not atomic). A term is held until
// its expiry passes or its holder releases it; only its holder writes it
// after the insert. A holder renews its term in the background (six times a
// term, so that a renewal or two lost to a database restart cost nothing) and
// treats it as lost once less than a third of it remains unrenewed, so it
// stops well before another instance may take over (clocks are assumed to agree to
// within seconds). The terms sit in a collection of a few documents, read
// whole: each taker deletes the terms before its own.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "mongodb";
import { COLLECTIONS } from "./collections";
import { isDuplicateKeyError } from "./errors";

type LeaseTerm = { _id: string; name: string; term: number; holder: string; expires_at: Date };

export type LeaseOptions = { ttlMs: number };
export type WaitOptions = LeaseOptions & { waitMs: number; pollMs?: number };

export class LeaseLostError extends Error {}

function leaseTerms(db: Db) {
  return db.collection<LeaseTerm>(COLLECTIONS.leases);
}

const termId = (name: string, term: number) => `${name}#${term}`;

async function latestTerm(db: Db, name: string): Promise<LeaseTerm | null> {
  const terms = await leaseTerms(db).find({ name }).toArray();
  return terms.reduce<LeaseTerm | null>((latest, term) => (!latest || term.term > latest.term ? term : latest), null);
}

/** The lease, or null while another holder's term runs. */
export async function tryLease(db: Db, name: string, { ttlMs }: LeaseOptions): Promise<HeldLease | null> {
  const latest = await latestTerm(db, name);
  const now = Date.now();
  if (latest && latest.expires_at.getTime() > now) return null;
  const term: LeaseTerm = {
    _id: termId(name, (latest?.term ?? 0) + 1),
    name,
    term: (latest?.term ?? 0) + 1,
    holder: randomUUID(),
    expires_at: new Date(now + ttlMs),
  };
  try {
    await leaseTerms(db).insertOne(term);
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
  await leaseTerms(db).deleteMany({ name, term: { $lt: term.term } });
  return new HeldLease(db, term, ttlMs);
}

/** The lease, waiting (polling) while another holder has it; throws after `waitMs`. */
export async function acquireLease(
  db: Db,
  name: string,
  { ttlMs, waitMs, pollMs = 100 }: WaitOptions,
): Promise<HeldLease> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lease = await tryLease(db, name, { ttlMs });
    if (lease) return lease;
    if (Date.now() >= deadline) throw new Error(`lease ${name}: still held by another process after ${waitMs} ms`);
    await sleep(pollMs * (0.5 + Math.random()));
  }
}

/** Runs `work` holding the lease (waiting for it first), and releases it afterwards. */
export async function withLease<T>(
  db: Db,
  name: string,
  options: WaitOptions,
  work: (lease: HeldLease) => Promise<T>,
): Promise<T> {
  const lease = await acquireLease(db, name, options);
  try {
    return await work(lease);
  } finally {
    await lease.release();
  }
}

export class HeldLease {
  private expiresAt: number;
  private lost = false;
  private renewing: Promise<void> = Promise.resolve();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly db: Db,
    private readonly term: LeaseTerm,
    private readonly ttlMs: number,
  ) {
    this.expiresAt = term.expires_at.getTime();
    this.heartbeat = setInterval(() => void this.renew(), ttlMs / 6);
    this.heartbeat.unref();
  }

  /** Throws unless the term is held with a third of it left: call it before each write the lease guards. */
  assertHeld(): void {
    if (this.lost || Date.now() > this.expiresAt - this.ttlMs / 3)
      throw new LeaseLostError(`lease ${this.term.name}: term ${this.term.term} lost or about to expire`);
  }

  /** Extends the term (the heartbeat calls it); a term that expired first, or that a later one replaced, is lost. */
  renew(): Promise<void> {
    this.renewing = this.renewing.then(() => this.extend()).catch(() => undefined);
    return this.renewing;
  }

  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.renewing;
    if (this.lost) return;
    this.lost = true;
    await leaseTerms(this.db).updateOne(
      { _id: this.term._id, holder: this.term.holder },
      { $set: { expires_at: new Date(0) } },
    );
  }

  private async extend(): Promise<void> {
    if (this.lost) return;
    if (Date.now() > this.expiresAt - this.ttlMs / 3) return this.markLost();
    const expiresAt = Date.now() + this.ttlMs;
    await leaseTerms(this.db).updateOne(
      { _id: this.term._id, holder: this.term.holder },
      { $set: { expires_at: new Date(expiresAt) } },
    );
    if ((await latestTerm(this.db, this.term.name))?.term !== this.term.term) return this.markLost();
    this.expiresAt = expiresAt;
  }

  private markLost(): void {
    this.lost = true;
    clearInterval(this.heartbeat);
  }
}
