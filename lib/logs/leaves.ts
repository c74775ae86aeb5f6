// The Merkle leaves of a block of sequence numbers: each number's stored log,
// or a void leaf for a number that carries no log. Ingestion records them when
// it settles a block, so checkpoints never have to re-read the logs.
import { logLeafHash, voidLeafHash } from "@/lib/integrity/merkle";
import { signedFieldsOf, type StoredLog } from "./record";

export function blockLeaves(block: { start: number; end: number }, logsBySequence: ReadonlyMap<number, StoredLog>): { leaves: string[]; voids: number[] } {
  const leaves: string[] = [];
  const voids: number[] = [];
  for (let sequence = block.start; sequence < block.end; sequence++) {
    const log = logsBySequence.get(sequence);
    if (!log) voids.push(sequence);
    leaves.push((log ? logLeafHash(signedFieldsOf(log)) : voidLeafHash(sequence)).toString("hex"));
  }
  return { leaves, voids };
}
