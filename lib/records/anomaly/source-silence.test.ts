import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDetectionConfig, type DetectionConfigInput } from "@/lib/foundation/detection-config";
import type { Finding } from "./finding";
import {
  advanceSourceSilence,
  EMPTY_SILENCE_STATE,
  MAX_SILENCE_SOURCES,
  type SilenceLog,
  type SilenceState,
} from "./source-silence";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse("2026-03-10T00:00:00.000Z");

/** Checkpoints over simulated time, each given the logs it covers; collects every finding. */
function ledger(settings: DetectionConfigInput = {}, maxSources?: number) {
  const config = parseDetectionConfig(settings).silence;
  let state: SilenceState = EMPTY_SILENCE_STATE;
  const findings: Finding[] = [];
  let serial = 0;
  const log = (source: string, time: number, extra: Partial<SilenceLog> = {}): SilenceLog => ({
    log_id: `log-${++serial}`,
    time: new Date(time),
    source,
    ...extra,
  });
  const checkpoint = (at: number, logs: SilenceLog[] = []) => {
    const result = advanceSourceSilence(state, logs, new Date(at), config, maxSources);
    state = result.state;
    findings.push(...result.findings);
    return result.findings;
  };
  /** One log of each source every `everyMs` in [from, to), a checkpoint right after each round, every `checkpointMs`. */
  const send = (sources: string[], from: number, to: number, everyMs = 5 * MINUTE, checkpointMs = everyMs) => {
    let pending: SilenceLog[] = [];
    for (let time = from; time < to; time += everyMs) {
      pending.push(...sources.map((source) => log(source, time)));
      if ((time - from + everyMs) % checkpointMs === 0) {
        checkpoint(time + 1_000, pending);
        pending = [];
      }
    }
    if (pending.length > 0) checkpoint(to, pending);
  };
  /** Empty checkpoints every minute through `to`. */
  const wait = (from: number, to: number) => {
    for (let at = from; at <= to; at += MINUTE) checkpoint(at);
  };
  return { config, log, checkpoint, send, wait, findings, state: () => state };
}

describe("source_silent", () => {
  it("raises one finding 30 minutes after the last log of a source that logged every 5 minutes for a day", () => {
    const run = ledger();
    run.send(["auth-1"], T0, T0 + 24 * HOUR);
    const last = T0 + 24 * HOUR - 5 * MINUTE;
    run.wait(last + MINUTE, last + 90 * MINUTE);
    assert.equal(run.findings.length, 1);
    const [finding] = run.findings;
    assert.deepEqual(
      {
        type: finding!.type,
        severity: finding!.severity,
        source: finding!.source,
        start: finding!.start.getTime(),
        end: finding!.end.getTime(),
        count: finding!.count,
      },
      { type: "source_silent", severity: "high", source: "auth-1", start: last, end: last + 30 * MINUTE, count: 1 },
    );
    assert.deepEqual(finding!.log_ids, [`log-${24 * 12}`], "the source's last log");
    assert.equal(
      finding!.explanation,
      'source "auth-1" sent logs in 144 of the 144 slots of 10 min in the 24 h up to its last log, then nothing for 30 min',
    );
  });

  it("raises nothing for a source seen for a few minutes, nor for one that filled too few slots", () => {
    const run = ledger();
    run.send(["brief"], T0, T0 + 5 * MINUTE, MINUTE);
    // Two logs an hour on the hour and at :10: 2 of every 6 slots.
    for (let hour = 0; hour < 24; hour++) {
      run.checkpoint(T0 + hour * HOUR + MINUTE, [run.log("sparse", T0 + hour * HOUR)]);
      run.checkpoint(T0 + hour * HOUR + 11 * MINUTE, [run.log("sparse", T0 + hour * HOUR + 10 * MINUTE)]);
    }
    run.wait(T0 + 24 * HOUR, T0 + 26 * HOUR);
    assert.deepEqual(run.findings, []);
  });

  it("tolerates empty slots down to ANOMALY_SILENCE_STEADY_PERCENT of the period and no further", () => {
    for (const [empty, expected] of [
      [14, 1],
      [15, 0],
    ] as const) {
      const run = ledger();
      for (let slot = 0; slot < 144; slot++) {
        // Empty slots spread over the period, never the last.
        if (slot % 9 === 1 && Math.floor(slot / 9) < empty) continue;
        const time = T0 + slot * 10 * MINUTE + 5 * MINUTE;
        run.checkpoint(time + 1_000, [run.log("jittery", time)]);
      }
      run.wait(T0 + 24 * HOUR, T0 + 25 * HOUR);
      assert.equal(run.findings.length, expected, `${empty} empty slots`);
    }
  });

  it("raises at exactly ANOMALY_SILENCE_MINUTES after the last log, not a millisecond before", () => {
    const run = ledger({ silenceMinutes: 45 });
    run.send(["edge"], T0, T0 + 24 * HOUR, 5 * MINUTE, 20 * MINUTE);
    const last = T0 + 24 * HOUR - 5 * MINUTE;
    run.checkpoint(last + 45 * MINUTE - 1);
    assert.equal(run.findings.length, 0);
    run.checkpoint(last + 45 * MINUTE);
    assert.equal(run.findings.length, 1);
    assert.equal(run.findings[0]!.end.getTime(), last + 45 * MINUTE);
  });

  it("raises one finding per silence: a source that speaks again is judged again only once steady again", () => {
    const run = ledger();
    run.send(["flappy"], T0, T0 + 24 * HOUR);
    run.wait(T0 + 24 * HOUR, T0 + 25 * HOUR);
    assert.equal(run.findings.length, 1);
    // Back for an hour, then quiet again: not steady since the silence.
    run.send(["flappy"], T0 + 25 * HOUR, T0 + 26 * HOUR);
    run.wait(T0 + 26 * HOUR, T0 + 28 * HOUR);
    assert.equal(run.findings.length, 1, "no second alert for the same outage pattern");
    // A whole steady day later, a new silence is a new finding.
    run.send(["flappy"], T0 + 28 * HOUR, T0 + 52 * HOUR);
    run.wait(T0 + 52 * HOUR, T0 + 53 * HOUR);
    assert.equal(run.findings.length, 2);
    assert.equal(run.findings[1]!.start.getTime(), T0 + 52 * HOUR - 5 * MINUTE);
  });

  it("counts silence only while checkpoints run: after a gap longer than the silence, a source has the whole silence again to speak", () => {
    const run = ledger();
    run.send(["steady"], T0, T0 + 24 * HOUR);
    const resumed = T0 + 26 * HOUR;
    run.checkpoint(resumed);
    assert.equal(run.findings.length, 0, "Ledgerline itself was away");
    run.wait(resumed + MINUTE, resumed + 29 * MINUTE);
    assert.equal(run.findings.length, 0);
    run.checkpoint(resumed + 30 * MINUTE);
    assert.equal(run.findings.length, 1);
    assert.equal(run.findings[0]!.start.getTime(), T0 + 24 * HOUR - 5 * MINUTE);
  });

  it("ignores Ledgerline's own audit log, the configured sources, logs without a source and logs older than the silence", () => {
    const run = ledger({ silenceIgnoredSources: "batch-jobs, cron" });
    let pending: SilenceLog[] = [];
    for (let time = T0; time < T0 + 24 * HOUR; time += 5 * MINUTE) {
      pending = [
        run.log("ledgerline", time, { ingested_by: "ledgerline" }),
        run.log("batch-jobs", time),
        run.log("cron", time),
        { log_id: `plain-${time}`, time: new Date(time) },
      ];
      run.checkpoint(time + 1_000, pending);
    }
    // A backfill: a day of another source's logs, all older than the silence, in one checkpoint.
    const backfill = Array.from({ length: 288 }, (_, i) => run.log("imported", T0 - 24 * HOUR + i * 5 * MINUTE));
    run.checkpoint(T0 + 24 * HOUR, backfill);
    run.wait(T0 + 24 * HOUR, T0 + 26 * HOUR);
    assert.deepEqual(run.findings, []);
    assert.deepEqual(run.state().sources, []);
  });

  it("keeps at most the cap of sources, the steadiest first, and still finds their silence", () => {
    const run = ledger({}, 10);
    run.send(["core-1", "core-2"], T0, T0 + 24 * HOUR, 5 * MINUTE, 20 * MINUTE);
    // A flood of one-off sources in the last hour.
    const flood = Array.from({ length: 50 }, (_, i) =>
      run.log(`noise-${String(i).padStart(2, "0")}`, T0 + 24 * HOUR - MINUTE + i * 1_000),
    );
    run.checkpoint(T0 + 24 * HOUR, flood);
    assert.equal(run.state().sources.length, 10);
    assert.deepEqual(
      run
        .state()
        .sources.slice(0, 2)
        .map((activity) => activity.source),
      ["core-1", "core-2"],
    );
    run.wait(T0 + 24 * HOUR + MINUTE, T0 + 25 * HOUR);
    assert.deepEqual(run.findings.map((finding) => finding.source).sort(), ["core-1", "core-2"]);

    const crowd = ledger();
    crowd.checkpoint(
      T0,
      Array.from({ length: MAX_SILENCE_SOURCES + 5 }, (_, i) => crowd.log(`host-${i}`, T0 - i)),
    );
    assert.equal(MAX_SILENCE_SOURCES, 1_000);
    assert.equal(crowd.state().sources.length, 1_000);
  });

  it("gives the same result for the same state, logs and time (a checkpoint derived again)", () => {
    const run = ledger();
    run.send(["a", "b"], T0, T0 + 24 * HOUR, 5 * MINUTE, 20 * MINUTE);
    run.checkpoint(T0 + 24 * HOUR + 10 * MINUTE);
    const before = run.state();
    const at = new Date(T0 + 24 * HOUR + 26 * MINUTE);
    const logs = [run.log("b", at.getTime() - 2 * MINUTE), run.log("b", at.getTime() - MINUTE)];
    const first = advanceSourceSilence(before, logs, at, run.config);
    assert.deepEqual(advanceSourceSilence(before, [...logs].reverse(), at, run.config), first);
    assert.deepEqual(
      first.findings.map((finding) => finding.source),
      ["a"],
    );
  });
});
