// Against a saved head: an auditor kept a signed checkpoint somewhere else;
// today's history must still contain that exact checkpoint and extend it by
// an unbroken signed chain. A rewrite of anything before the head changes its
// digest, so even someone holding the keys cannot re-sign history silently.
import type { Db } from "mongodb";
import type { PublicKeySet } from "./checkpoint-keys";
import { verifyCheckpoint, type SignedCheckpoint } from "./checkpoint-record";
import { checkpointsCollection, toSignedCheckpoint } from "./checkpoints";
import { checkChain, type Problem } from "./verify";

export type SinceHeadReport = { ok: boolean; head: number | null; latest: number | null; problems: Problem[] };

export async function verifySinceHead(db: Db, savedHead: unknown, publicKeys: PublicKeySet): Promise<SinceHeadReport> {
  const verdict = verifyCheckpoint(savedHead, publicKeys);
  if (verdict.verdict !== "valid") {
    return {
      ok: false,
      head: null,
      latest: null,
      problems: [
        { kind: "bad-checkpoint", detail: `the saved head is not a valid signed checkpoint: ${verdict.reason}` },
      ],
    };
  }
  const head = verdict.checkpoint;
  const problems: Problem[] = [];
  const stored = await checkpointsCollection(db).findOne({ _id: head.number });
  if (!stored) {
    problems.push({
      kind: "bad-checkpoint",
      checkpoint: head.number,
      detail: "the saved head's checkpoint is no longer stored",
    });
  } else if (stored.digest !== head.digest) {
    problems.push({
      kind: "bad-checkpoint",
      checkpoint: head.number,
      detail: "history up to the saved head was rewritten: the stored checkpoint differs from the saved one",
    });
  }
  let previous: SignedCheckpoint = head;
  for await (const next of checkpointsCollection(db)
    .find({ _id: { $gt: head.number } })
    .sort({ _id: 1 })) {
    const checkpoint = toSignedCheckpoint(next);
    problems.push(...checkChain(checkpoint, previous, publicKeys));
    previous = checkpoint;
  }
  return { ok: problems.length === 0, head: head.number, latest: previous.number, problems };
}
