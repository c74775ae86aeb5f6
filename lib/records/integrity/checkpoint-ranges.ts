// Which checkpoint covers a sequence number, for rebuilding what checkpoints derive.

/** Checkpoint ranges in order, each covering [start_sequence, end_sequence). */
export type CheckpointRange = { _id: number; end_sequence: number };

/** The number of the checkpoint covering `sequence` (the first whose end is above it); the last one's beyond them all. */
export function createCheckpointLookup(ranges: readonly CheckpointRange[]): (sequence: number) => number {
  return (sequence) => {
    let low = 0;
    let high = ranges.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (ranges[middle]!.end_sequence > sequence) high = middle;
      else low = middle + 1;
    }
    return ranges[low]!._id;
  };
}
