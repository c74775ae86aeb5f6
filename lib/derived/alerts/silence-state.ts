// What source_silent knows of each source between checkpoints
// (lib/records/anomaly/source-silence.ts), in one document of the detection state's
// collection, looked up by its string _id and rewritten by each checkpoint's
// derivation. It also keeps the state that checkpoint started from, so a
// derivation run again (a writer finishing a crashed one, or two writers at
// once) judges the same state and raises the same alerts.
import type { Binary, Db } from "mongodb";
import { EMPTY_SILENCE_STATE, type SilenceState } from "@/lib/records/anomaly/source-silence";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { packedJsonText, packJson } from "@/lib/platform/db/packed-json";

const STATE_ID = "source_silence";

/** `state` after checkpoint `checkpoint`, `before` as it stood before it. */
type StoredSilenceState = { _id: string; checkpoint: number; state: Binary; before: Binary };

function states(db: Db) {
  return db.collection<StoredSilenceState>(COLLECTIONS.anomalyTail);
}

/**
 * The state checkpoint N starts from, and whether N's derivation already
 * recorded what followed (its alerts are stored); null when a later checkpoint
 * has been judged.
 */
export async function readSilenceStateBefore(
  db: Db,
  checkpoint: number,
): Promise<{ before: SilenceState; isRecorded: boolean } | null> {
  const stored = await states(db).findOne({ _id: STATE_ID });
  if (!stored) return { before: EMPTY_SILENCE_STATE, isRecorded: false };
  if (stored.checkpoint < checkpoint) return { before: unpack(stored.state), isRecorded: false };
  return stored.checkpoint === checkpoint ? { before: unpack(stored.before), isRecorded: true } : null;
}

export async function writeSilenceState(
  db: Db,
  checkpoint: number,
  before: SilenceState,
  state: SilenceState,
): Promise<void> {
  try {
    await states(db).replaceOne(
      { _id: STATE_ID },
      { checkpoint, state: packJson(state), before: packJson(before) },
      { upsert: true },
    );
  } catch (error) {
    // Two writers deriving the same first checkpoint both insert the same document.
    if (!isDuplicateKeyError(error)) throw error;
  }
}

function unpack(packed: Binary): SilenceState {
  return JSON.parse(packedJsonText(packed)) as SilenceState;
}
