// Puts a slightly out-of-order stream back in order of a numeric key (a time,
// a sequence): an item waits until the stream has moved `latenessMs` past its
// key, then leaves in (key, arrival) order. An item below one already released
// is too late to place and is refused. `limit` caps how many items may wait (a
// flood releases its lowest early).
type Entry<T> = { time: number; arrival: number; log: T };

export class ReorderBuffer<T> {
  private readonly heap: Entry<T>[] = [];
  private arrivals = 0;
  private newest = Number.NEGATIVE_INFINITY;
  /** No log before this time may be released any more. */
  floor = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly latenessMs: number,
    private readonly limit: number,
    private readonly release: (item: T, key: number) => void,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** False when the item's key is below those already released. */
  push(log: T, time: number): boolean {
    if (time < this.floor) return false;
    if (this.latenessMs === 0 && this.heap.length === 0) {
      this.floor = time;
      this.release(log, time);
      return true;
    }
    this.insert({ time, arrival: this.arrivals++, log });
    this.newest = Math.max(this.newest, time);
    this.releaseUntil(this.newest - this.latenessMs);
    while (this.heap.length > this.limit) this.releaseFirst();
    return true;
  }

  /** Releases every log at or before `time`; later pushes before it are too late. */
  releaseUntil(time: number): void {
    while (this.heap.length > 0 && this.heap[0]!.time <= time) this.releaseFirst();
    this.floor = Math.max(this.floor, time);
  }

  releaseAll(): void {
    while (this.heap.length > 0) this.releaseFirst();
  }

  private releaseFirst(): void {
    const first = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    this.floor = Math.max(this.floor, first.time);
    this.release(first.log, first.time);
  }

  private insert(entry: Entry<T>): void {
    const heap = this.heap;
    let index = heap.push(entry) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index]!;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, entry)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = entry;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.arrival < b.arrival);
}
