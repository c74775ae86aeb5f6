// Anomaly detection over a time-ordered stream of logs: every rule in one
// pass, memory bounded by what the window (and the lateness buffer) holds, not
// by the length of the stream. Each checkpoint's derivation pushes the logs it
// covers into a detector carried from checkpoint to checkpoint; the findings
// over a range feed one from the search layout.
//
// Windows are inclusive (two logs exactly W apart share one). Overlapping
// windows of one (type, subject) are one finding; a finding is emitted once
// the stream is more than W past its last log. Logs may arrive up to
// maxLatenessMs out of order; later ones are counted in stats().late and
// skipped (a re-run over the time-sorted database sees them).
import { historyOf, type UserBaseline } from "./baseline";
import { attemptActionTest, isOffHours, type DetectionConfig } from "@/lib/foundation/detection-config";
import { EventRule } from "./event-rules";
import { compareFindings, type Counting, type DetectableLog, type Finding } from "./finding";
import { createLocalClock } from "@/lib/foundation/util/local-time";
import { sharedIpClassifier } from "./shared-classifier";
import { ReorderBuffer } from "@/lib/foundation/util/reorder-buffer";
import {
  explainNewIp,
  explainOffHours,
  explainRareHour,
  explainSuccessAfterFailures,
  explainUnknownNetwork,
} from "./explanations";
import { RULE_SEVERITIES } from "./severity";
import { WindowRule } from "./window-rules";

/** How a failure without an address is listed among a targeted account's sources. */
const NO_ADDRESS = "no address";

export type DetectorStats = {
  /** Logs analysed so far. */
  analysed: number;
  /** Logs waiting in the reordering buffer (at most the lateness allowance's worth). */
  waiting: number;
  /** Logs refused because they arrived more than the lateness allowance behind the stream. */
  late: number;
  /** Logs refused for an invalid time. */
  invalid: number;
};

export type Detector = {
  /** Adds one log. Logs should come in time order; up to `maxLatenessMs` of disorder is put right. */
  push(log: DetectableLog): void;
  /** Tells the detector that time has reached `now` even without logs, so that quiet windows close. */
  advanceTo(now: Date): void;
  /** Takes the findings closed so far (each is returned once). Call it regularly: they wait in memory. */
  flush(): Finding[];
  /** A snapshot of the findings still open; they may still grow. */
  pending(): Finding[];
  /** Ends the stream: analyses what waits, closes every finding and returns all not yet flushed. */
  finish(): Finding[];
  stats(): DetectorStats;
};

type Rule = Pick<WindowRule, "sweep" | "openFindings" | "clear">;

/** Logs that may wait for reordering, whatever the lateness allowance. */
const REORDER_LIMIT = 100_000;

/**
 * `counting` says which logs an earlier run already counted, and in what (a
 * checkpoint's carried-over logs): findings report how many they hold.
 */
export function createDetector(
  config: DetectionConfig,
  options: { baseline?: UserBaseline; counting?: Counting } = {},
): Detector {
  const { baseline } = options;
  if (baseline !== undefined && baseline.timeZone !== config.timeZone) {
    throw new RangeError(`the baseline counts hours in ${baseline.timeZone}, the configuration in ${config.timeZone}`);
  }
  const W = config.windowMs;
  const clock = createLocalClock(config.timeZone);
  const classify = sharedIpClassifier(config.allowedNetworks);
  const isAttemptAction = attemptActionTest(config);

  const counted = options.counting;
  const burstByIp = new WindowRule(
    { type: "failure_burst", subject: "ip", windowMs: W, threshold: config.burstThreshold, countsDistinct: false },
    counted,
  );
  const burstByUser = new WindowRule(
    { type: "targeted_account", subject: "user", windowMs: W, threshold: config.burstThreshold, countsDistinct: false },
    counted,
  );
  const spraying = new WindowRule(
    { type: "password_spraying", subject: "ip", windowMs: W, threshold: config.sprayUsers, countsDistinct: true },
    counted,
  );
  const successAfterFailures = new EventRule(
    "success_after_failures",
    RULE_SEVERITIES.success_after_failures,
    W,
    explainSuccessAfterFailures,
    counted,
  );
  const unknownNetwork = new EventRule(
    "unknown_network",
    RULE_SEVERITIES.unknown_network,
    W,
    explainUnknownNetwork(config.allowedNetworks),
    counted,
  );
  const offHours = new EventRule("off_hours", RULE_SEVERITIES.off_hours, W, explainOffHours, counted);
  const newIp = new EventRule("new_ip_for_user", RULE_SEVERITIES.new_ip_for_user, W, explainNewIp, counted);
  const rareHour = new EventRule(
    "rare_hour_for_user",
    RULE_SEVERITIES.rare_hour_for_user,
    W,
    explainRareHour(config.rareHourShare),
    counted,
  );
  const rules: Rule[] = [
    burstByIp,
    burstByUser,
    spraying,
    successAfterFailures,
    unknownNetwork,
    offHours,
    newIp,
    rareHour,
  ];

  let closed: Finding[] = [];
  const emit = (finding: Finding) => void closed.push(finding);
  const stats = { analysed: 0, late: 0, invalid: 0 };
  let watermark = Number.NEGATIVE_INFINITY;
  let nextSweep = Number.NEGATIVE_INFINITY;
  let isFinished = false;

  const sweep = (now: number) => {
    watermark = Math.max(watermark, now);
    for (const rule of rules) rule.sweep(watermark, emit);
    // Sweeping four times a window keeps a closed finding waiting at most W/4 longer.
    nextSweep = watermark + W / 4;
  };

  const analyse = (log: DetectableLog, time: number) => {
    stats.analysed++;
    watermark = time;
    if (time >= nextSweep) sweep(time);
    // A log without an address (su, sudo) counts against its user only: the address rules skip it.
    const address = log.ip === undefined ? undefined : classify(log.ip);
    const ip = address?.key;
    const { user, log_id: logId } = log;
    const isAttempt = isAttemptAction(log.action);
    if (isAttempt && log.status === "failed") {
      if (ip !== undefined) {
        burstByIp.add(ip, user, time, logId, emit);
        spraying.add(ip, user, time, logId, emit);
      }
      burstByUser.add(user, ip ?? NO_ADDRESS, time, logId, emit);
    } else if (isAttempt) {
      const burst =
        (ip === undefined ? undefined : burstByIp.recentFinding(ip, time)) ?? burstByUser.recentFinding(user, time);
      if (burst !== undefined) {
        const burstSubject = burst.subject.ip === undefined ? ("user" as const) : ("ip" as const);
        const detail = () => ({ action: log.action, afterMs: time - burst.end, failures: burst.count, burstSubject });
        successAfterFailures.hit(
          JSON.stringify([ip ?? null, user]),
          ip === undefined ? { user } : { ip, user },
          time,
          logId,
          detail,
          emit,
        );
      }
    }
    if (address !== undefined && !address.isAllowed)
      unknownNetwork.hit(address.key, { ip: address.key }, time, logId, () => undefined, emit);
    const minute = clock.minuteOfDay(time);
    if (isOffHours(config.offHours, minute))
      offHours.hit(user, { user }, time, logId, () => ({ minute, timeZone: config.timeZone }), emit);
    if (log.status !== "success") return;
    const history = historyOf(baseline, user, config);
    if (history === undefined) return;
    if (ip !== undefined && !history.isIpListFull && !history.ips.has(ip)) {
      const detail = () => ({ knownIps: history.ips.size, baselineDays: config.baselineMs / 86_400_000 });
      newIp.hit(JSON.stringify([user, ip]), { ip, user }, time, logId, detail, emit);
    }
    const hour = Math.floor(minute / 60);
    const inHour = history.hourCounts[hour]!;
    if (inHour === 0 || inHour / history.events < config.rareHourShare) {
      rareHour.hit(
        user,
        { user },
        time,
        logId,
        () => ({ hour, inHour, events: history.events, timeZone: config.timeZone }),
        emit,
      );
    }
  };

  const buffer = new ReorderBuffer(config.maxLatenessMs, REORDER_LIMIT, analyse);
  const take = () => {
    const taken = closed.sort(compareFindings);
    closed = [];
    return taken;
  };
  const assertOpen = () => {
    if (isFinished) throw new Error("the detector has finished; create a new one");
  };

  return {
    push(log) {
      assertOpen();
      const time = log.time.getTime();
      if (Number.isNaN(time)) stats.invalid++;
      else if (!buffer.push(log, time)) stats.late++;
    },
    advanceTo(now) {
      assertOpen();
      const time = now.getTime() - config.maxLatenessMs;
      buffer.releaseUntil(time);
      sweep(time);
    },
    flush() {
      if (!isFinished) sweep(watermark);
      return take();
    },
    pending() {
      return rules.flatMap((rule) => rule.openFindings()).sort(compareFindings);
    },
    finish() {
      assertOpen();
      buffer.releaseAll();
      for (const rule of rules) {
        closed.push(...rule.openFindings());
        rule.clear();
      }
      isFinished = true;
      return take();
    },
    stats: () => ({ analysed: stats.analysed, waiting: buffer.size, late: stats.late, invalid: stats.invalid }),
  };
}

/** All findings of a finite sequence of logs (tests, small inputs), through the same streaming detector. */
export function detectAnomalies(
  logs: Iterable<DetectableLog>,
  config: DetectionConfig,
  baseline?: UserBaseline,
): Finding[] {
  const detector = createDetector(config, { baseline });
  for (const log of logs) detector.push(log);
  return detector.finish();
}
