// How long one request may wait on the database, all its calls together. The
// driver waits on a stalled server for as long as it stays connected (a
// frozen process, or one swamped by the backlog after an outage), which would
// hold every request open. Past the budget the request answers, and the work
// it started carries on in the background: safe for ingestion, where a retry
// with the same log_ids stores each log once whichever attempt wins. Such
// abandoned work holds what it was sending (up to a whole batch of logs) until
// the database answers, so while a set number of them wait, new requests are
// refused before they send anything: a long outage costs bounded memory.

export class DatabaseTooSlowError extends Error {
  constructor(readonly limitMs: number) {
    super(`the database did not answer within ${limitMs / 1000} s`);
    this.name = "DatabaseTooSlowError";
  }
}

/** A request refused at once: the database has not yet finished the work of `abandoned` earlier ones. */
export class DatabaseBackloggedError extends Error {
  constructor(readonly abandoned: number) {
    super(`the database has not finished the work of ${abandoned} requests that timed out`);
    this.name = "DatabaseBackloggedError";
  }
}

let abandoned = 0;

/** Work whose request answered before it ended, still waiting on the database. */
export function abandonedWork(): number {
  return abandoned;
}

/** Throws DatabaseBackloggedError while `limit` or more abandoned works still wait on the database. */
export function assertNotBacklogged(limit: number): void {
  if (abandoned >= limit) throw new DatabaseBackloggedError(abandoned);
}

export class DatabaseBudget {
  private spentMs = 0;

  constructor(readonly limitMs: number) {}

  /** The work's result, or DatabaseTooSlowError once this request's waits add up to the limit. */
  async spend<T>(work: Promise<T>): Promise<T> {
    const remainingMs = this.limitMs - this.spentMs;
    if (remainingMs <= 0) {
      settleQuietly(work);
      throw new DatabaseTooSlowError(this.limitMs);
    }
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new DatabaseTooSlowError(this.limitMs)), remainingMs);
    });
    try {
      return await Promise.race([work, expiry]);
    } catch (error) {
      if (error instanceof DatabaseTooSlowError) {
        settleQuietly(work);
        // Spent, whatever the timer's rounding measured.
        this.spentMs = Infinity;
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.spentMs += performance.now() - started;
    }
  }
}

/** Nobody awaits the work any more; however it ends, a retry of the request meets the same outcome. */
function settleQuietly(work: Promise<unknown>): void {
  abandoned++;
  work.then(
    () => abandoned--,
    () => abandoned--,
  );
}

/** The work within the budget when there is one (API requests), else simply the work (scripts). */
export function withinBudget<T>(budget: DatabaseBudget | undefined, work: Promise<T>): Promise<T> {
  return budget ? budget.spend(work) : work;
}
