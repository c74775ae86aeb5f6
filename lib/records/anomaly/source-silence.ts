// source_silent: a source that sent steadily and then stopped. Judged at each
// checkpoint, logs or none, from what earlier checkpoints kept per source
// (SilenceState): the time of its last log and which slots of the steady
// period up to it held a log. A source is steady when at least `steadySlots`
// of the `slots` slots ending with its last log's slot hold one, so a source
// seen for less than that share of the period never is. It is silent once
// the checkpoint's time is `silenceMs` or more past its last log, counted
// only while checkpoints ran (`watchingSince`). Each silence raises one
// finding and the source's history starts afresh, so it is raised again only
// after the source has been steady again.
import { INGESTED_BY_LEDGERLINE } from "@/lib/records/logs/provenance";
import type { SilenceConfig } from "@/lib/foundation/detection-config";
import { explainSourceSilent } from "./explanations";
import type { Finding } from "./finding";
import { RULE_SEVERITIES } from "./severity";

/** Sources kept at most; beyond, the least steady (then the longest quiet) are dropped. */
export const MAX_SILENCE_SOURCES = 1_000;

export type SourceActivity = {
  source: string;
  /** Time (ms) of its latest log counted, and that log's id. */
  last: number;
  lastLogId: string;
  /** Base64 bitmap of `slots` bits: bit i set when the i-th slot before its last log's slot (0: that slot) held a log. */
  slots: string;
};

export type SilenceState = {
  /** The time of the checkpoint that left this state (null before the first). */
  at: number | null;
  /** Since when checkpoints have run without a gap longer than the silence. */
  watchingSince: number | null;
  /** By source name. */
  sources: SourceActivity[];
};

export const EMPTY_SILENCE_STATE: SilenceState = { at: null, watchingSince: null, sources: [] };

export type SilenceLog = { log_id: string; time: Date; source?: string; ingested_by?: string };

type Working = { last: number; lastLogId: string; bits: Uint8Array };

/** The state after a checkpoint at `now` that holds `logs`, and the silences it finds. */
export function advanceSourceSilence(
  state: SilenceState,
  logs: Iterable<SilenceLog>,
  now: Date,
  config: SilenceConfig,
  maxSources = MAX_SILENCE_SOURCES,
): { state: SilenceState; findings: Finding[] } {
  const nowMs = now.getTime();
  const slotOf = (time: number) => Math.floor(time / config.slotMs);
  const watchingSince =
    state.at === null || state.watchingSince === null || nowMs - state.at > config.silenceMs
      ? nowMs
      : state.watchingSince;
  // Older logs arrive late or are backfilled: they say nothing about the source sending now.
  const countedFrom = (state.at ?? nowMs) - config.silenceMs;
  const ignored = new Set(config.ignoredSources);

  const sources = new Map<string, Working>(
    state.sources.map((activity) => [activity.source, workingOf(activity, config.slots)]),
  );
  for (const log of logs) {
    const { source } = log;
    if (source === undefined || ignored.has(source) || log.ingested_by === INGESTED_BY_LEDGERLINE) continue;
    const time = Math.min(log.time.getTime(), nowMs);
    if (!(time >= countedFrom)) continue;
    const activity = sources.get(source);
    if (activity === undefined) {
      sources.set(source, {
        last: time,
        lastLogId: log.log_id,
        bits: setBit(new Uint8Array(Math.ceil(config.slots / 8)), 0),
      });
      continue;
    }
    const lastSlot = slotOf(activity.last);
    if (time > activity.last || (time === activity.last && log.log_id > activity.lastLogId)) {
      activity.bits = shifted(activity.bits, slotOf(time) - lastSlot, config.slots);
      activity.last = time;
      activity.lastLogId = log.log_id;
      setBit(activity.bits, 0);
    } else if (lastSlot - slotOf(time) < config.slots) setBit(activity.bits, lastSlot - slotOf(time));
  }

  const findings: Finding[] = [];
  for (const [source, activity] of sources) {
    const occupied = countBits(activity.bits);
    const quietMs = nowMs - Math.max(activity.last, watchingSince);
    if (quietMs >= config.silenceMs && occupied >= config.steadySlots) {
      findings.push({
        type: "source_silent",
        severity: RULE_SEVERITIES.source_silent,
        source,
        start: new Date(activity.last),
        end: now,
        count: 1,
        log_ids: [activity.lastLogId],
        explanation: explainSourceSilent({
          source,
          occupied,
          slots: config.slots,
          slotMs: config.slotMs,
          silentMs: nowMs - activity.last,
        }),
      });
      sources.delete(source);
    } else if (slotOf(nowMs) - slotOf(activity.last) >= config.slots) {
      // None of its slots can fall in the steady period of any later log.
      sources.delete(source);
    }
  }

  let kept = [...sources];
  if (kept.length > maxSources) {
    const rank = ([source, activity]: [string, Working]) => ({
      source,
      occupied: countBits(activity.bits),
      last: activity.last,
    });
    kept = kept
      .map((entry) => ({ entry, rank: rank(entry) }))
      .sort(
        (a, b) =>
          b.rank.occupied - a.rank.occupied || b.rank.last - a.rank.last || (a.rank.source < b.rank.source ? -1 : 1),
      )
      .slice(0, maxSources)
      .map(({ entry }) => entry);
  }
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    state: {
      at: nowMs,
      watchingSince,
      sources: kept.map(([source, { last, lastLogId, bits }]) => ({
        source,
        last,
        lastLogId,
        slots: Buffer.from(bits).toString("base64"),
      })),
    },
    findings,
  };
}

function workingOf({ last, lastLogId, slots }: SourceActivity, count: number): Working {
  const bits = new Uint8Array(Math.ceil(count / 8));
  // A state kept under another slot count: the bits that still fit.
  bits.set(Buffer.from(slots, "base64").subarray(0, bits.length));
  const extra = bits.length * 8 - count;
  if (extra > 0) bits[bits.length - 1]! &= 0xff >> extra;
  return { last, lastLogId, bits };
}

function setBit(bits: Uint8Array, index: number): Uint8Array {
  bits[index >> 3]! |= 1 << (index & 7);
  return bits;
}

function isSet(bits: Uint8Array, index: number): boolean {
  return (bits[index >> 3]! & (1 << (index & 7))) !== 0;
}

/** The bitmap with every slot `by` slots further back, those beyond `count` dropped. */
function shifted(bits: Uint8Array, by: number, count: number): Uint8Array {
  const moved = new Uint8Array(bits.length);
  for (let index = 0; index + by < count; index++) if (isSet(bits, index)) setBit(moved, index + by);
  return moved;
}

function countBits(bits: Uint8Array): number {
  let count = 0;
  for (let byte of bits) {
    for (; byte !== 0; byte &= byte - 1) count++;
  }
  return count;
}
