// The Merkle leaves of a block of sequence numbers: each number's stored log,
// or a void leaf for a number that carries no log. Ingestion records them when
// it settles a block, so checkpoints never have to re-read the logs.
import { Binary } from "mongodb";
import { logLeafHash, voidLeafHash } from "@/lib/records/integrity/merkle";
import { signedFieldsOf, type StoredLog } from "./record";

const LEAF_BYTES = 32;

/** Leaves in sequence order, packed into one binary value (32 bytes each). */
export function blockLeaves(
  block: { start: number; end: number },
  leafBySequence: ReadonlyMap<number, Buffer>,
): { leaf_hashes: Binary; voids: number[] } {
  const packed = Buffer.alloc((block.end - block.start) * LEAF_BYTES);
  const voids: number[] = [];
  for (let sequence = block.start; sequence < block.end; sequence++) {
    let leaf = leafBySequence.get(sequence);
    if (!leaf) {
      voids.push(sequence);
      leaf = voidLeafHash(sequence);
    }
    leaf.copy(packed, (sequence - block.start) * LEAF_BYTES);
  }
  return { leaf_hashes: new Binary(packed), voids };
}

/** Leaf hashes of logs read back from the database. */
export function leavesOfStoredLogs(logs: StoredLog[]): Map<number, Buffer> {
  return new Map(logs.map((log) => [log.sequence, logLeafHash(signedFieldsOf(log))]));
}

export function* unpackLeaves(leafHashes: Binary): Generator<Buffer> {
  const bytes = Buffer.from(leafHashes.buffer);
  for (let offset = 0; offset < bytes.length; offset += LEAF_BYTES) yield bytes.subarray(offset, offset + LEAF_BYTES);
}
