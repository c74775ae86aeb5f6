// Retention's purge of the search layout. Retention first records the purge
// point P (markPurged: readers skip entries below it from then on), then
// calls purgeSearchLayout(P), which takes those entries out of the parts,
// whatever hours they sit in (imported logs with old timestamps share hours
// with newer ones; a merged part can hold logs of purged and kept
// checkpoints). The day documents are scanned (one per day: a small
// collection) and their spans name the parts that reach below P: a part
// entirely below P is deleted unread, one that straddles P is read and
// replaced by its entries from P on (trimmedPartId), and a part listed before
// spans were recorded is read to learn its span. So a purge costs what the
// purged part of the layout holds, never a read of every part. A day left
// without parts is deleted, and the layout's bounds are set to the days left.
//
// Safe to stop and run again with the same P (retention finishes a stopped
// run by calling this again): each day is rewritten on its own, a day done
// has no span below P any more, a day where a rewrite stopped records the
// parts it may have left (day-write.ts), which the next run's rewrite of that
// day deletes, and a trimmed part's id always names the same entries.
// Safe beside checkpoint derivation and rebuilds: each day is re-read and
// rewritten as the layout's one writer (layout-writer.ts), and P was recorded
// as that writer too, so every writer either stored its parts before P was
// recorded (then this scan, which comes after, finds them) or read P first
// and left the purged logs out.
import type { Db } from "mongodb";
import { findByIds } from "@/lib/platform/db/find-by-ids";
import { summariesOf } from "@/lib/records/logs/summaries";
import { hasGarbage, listedIds, rewriteDay, type DayPlan } from "./day-write";
import {
  readDayParts,
  readPartSpans,
  searchDays,
  searchParts,
  searchState,
  STATE_ID,
  trimmedPartId,
  type DayParts,
  type SearchDay,
  type SearchPart,
} from "./layout";
import { asLayoutWriter, forEachAsLayoutWriter } from "./layout-writer";
import { newPart, spanOf } from "./write";

export type SearchPurgeResult = {
  days_rewritten: number;
  days_deleted: number;
  parts_deleted: number;
  parts_trimmed: number;
  parts_read: number;
};

/** Takes the entries of logs below `below` out of the layout (retention has recorded `below` with markPurged). */
export async function purgeSearchLayout(db: Db, below: number): Promise<SearchPurgeResult> {
  const result: SearchPurgeResult = {
    days_rewritten: 0,
    days_deleted: 0,
    parts_deleted: 0,
    parts_trimmed: 0,
    parts_read: 0,
  };
  const days = (await searchDays(db).find().toArray()).filter((day) => mayHoldPurged(day, below)).map((day) => day._id);
  await forEachAsLayoutWriter(db, days, (day, lease) => rewriteDay(db, lease, day, purgeDay(db, below, result)));
  await asLayoutWriter(db, async (lease) => {
    const left = (
      await searchDays(db)
        .find({}, { projection: { _id: 1 } })
        .toArray()
    )
      .map((day) => day._id)
      .sort();
    lease.assertHeld();
    if (left.length > 0)
      await searchState(db).updateOne({ _id: STATE_ID }, { $set: { first_day: left[0]!, last_day: left.at(-1)! } });
    else await searchState(db).updateOne({ _id: STATE_ID }, { $unset: { first_day: "", last_day: "" } });
  });
  return result;
}

/** A day with garbage may hold purged entries in parts no list names: its rewrite deletes them. */
function mayHoldPurged(day: SearchDay, below: number): boolean {
  const spans = readPartSpans(day);
  return hasGarbage(day) || listedIds(readDayParts(day)).some((id) => (spans[id]?.[0] ?? -Infinity) < below);
}

function purgeDay(db: Db, below: number, result: SearchPurgeResult): DayPlan {
  return async (stored) => {
    if (!stored) return null;
    const spans = { ...stored.spans };
    const straddling = listedIds(stored.parts).filter(
      (id) => !spans[id] || (spans[id][0] < below && spans[id][1] >= below),
    );
    const read = await findByIds(searchParts(db), straddling);
    result.parts_read += read.size;
    const parts: DayParts = {};
    const inserted: SearchPart[] = [];
    const unlisted: string[] = [];
    let learned = false;
    for (const [key, ids] of Object.entries(stored.parts)) {
      const kept: string[] = [];
      for (const id of ids) {
        const span = spans[id];
        if (span && span[0] >= below) kept.push(id);
        else if (span && span[1] < below) unlisted.push(id);
        else if (!read.has(id))
          unlisted.push(id); // listed but gone: only a stopped purge deletes listed parts
        else {
          const part = read.get(id)!;
          const entries = summariesOf(part.entries);
          const left = entries.filter((entry) => entry.sequence >= below);
          if (left.length === entries.length) {
            kept.push(id);
            spans[id] = spanOf(entries);
            learned = true;
            continue;
          }
          unlisted.push(id);
          if (left.length === 0) continue;
          const trimmed = newPart(trimmedPartId(id, below), part.hour, left);
          inserted.push(trimmed);
          kept.push(trimmed._id);
          spans[trimmed._id] = trimmed.span!;
        }
      }
      if (kept.length > 0) parts[key] = kept;
    }
    if (unlisted.length === 0 && !learned) return null;
    result.days_rewritten++;
    if (Object.keys(parts).length === 0) result.days_deleted++;
    result.parts_deleted += unlisted.length - inserted.length;
    result.parts_trimmed += inserted.length;
    return { layout: { through: stored.through, parts, spans }, inserted, unlisted };
  };
}
