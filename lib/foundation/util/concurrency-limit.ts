// At most `concurrency` tasks at once in this process, the next ones waiting
// in a bounded first-come queue for a bounded time. What cannot wait is
// refused at once with a BusyError, so a flood costs a quick refusal each
// instead of memory and an ever longer wait for everyone.

/** The work was refused, not failed: the caller may retry after `retryAfterSeconds`. */
export class BusyError extends Error {
  override name = "BusyError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export type ConcurrencyLimitOptions = {
  concurrency: number;
  /** How many tasks may wait for a slot; beyond that they are refused at once. */
  maxQueue: number;
  /** How long a task may wait for a slot before it is refused. */
  maxWaitMs: number;
  /** What the tasks are, for the refusal's message: "password checks". */
  name: string;
  /** What a refusal asks the caller to wait; 1 s unless a task usually runs much longer. */
  retryAfterSeconds?: number;
};

type Waiter = { start: () => void };

export class ConcurrencyLimit {
  readonly #options: ConcurrencyLimitOptions;
  readonly #waiting: Waiter[] = [];
  #running = 0;
  #peak = 0;

  constructor(options: ConcurrencyLimitOptions) {
    this.#options = options;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** The most tasks that have run at once since this limit was made. */
  get peak(): number {
    return this.#peak;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  /** Reads a stream in one slot, taken at its first read and held until it ends, fails or is closed. */
  async *runStream<T>(stream: () => AsyncGenerator<T>): AsyncGenerator<T> {
    await this.#acquire();
    try {
      yield* stream();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    const { concurrency, maxQueue, maxWaitMs, name, retryAfterSeconds = 1 } = this.#options;
    if (this.#running < concurrency) {
      this.#running++;
      this.#peak = Math.max(this.#peak, this.#running);
      return Promise.resolve();
    }
    const wait = retryAfterSeconds === 1 ? "a second" : `${retryAfterSeconds} seconds`;
    const busy = () => new BusyError(`The server is busy with ${name}; retry in ${wait}.`, retryAfterSeconds);
    if (this.#waiting.length >= maxQueue) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(busy());
      }, maxWaitMs);
      this.#waiting.push(waiter);
    });
  }

  #release(): void {
    // The slot passes straight to the first waiter, so nobody arriving meanwhile can take it out of turn.
    const next = this.#waiting.shift();
    if (next) next.start();
    else this.#running--;
  }
}
