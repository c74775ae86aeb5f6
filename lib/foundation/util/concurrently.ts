/** Calls `work` for every item with at most `concurrency` calls in flight; after a failure no new item starts, and the failure is thrown. */
export async function forEachConcurrently<T>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failed = false;
  const client = async () => {
    // An async generator queues concurrent next() calls, so no item is handed out twice.
    for (let next = await iterator.next(); !next.done && !failed; next = await iterator.next()) {
      try {
        await work(next.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
  } finally {
    if (failed) await iterator.return?.();
  }
}
