// The detection configuration: one zod schema with the defaults, usable from
// code (tests, scripts) and from environment variables (lib/foundation/config.ts), with
// every error naming the setting or variable at fault.
import { z } from "zod";
import { canonicalTimeZone } from "./util/local-time";
import { parseCidr, type Cidr } from "./net/networks";

/** The most slots a source's steadiness is judged over (bounds the state kept per source). */
const MAX_SILENCE_SLOTS = 2_016;

const count = (max: number) => z.coerce.number().int("must be a whole number").min(1).max(max);

/** "a, b c" and ["a", "b"] alike. */
const list = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (typeof value === "string" ? value.split(/[\s,]+/) : value)
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );

const Networks = list.transform((items, ctx): Cidr[] => {
  const cidrs: Cidr[] = [];
  for (const item of items) {
    const cidr = parseCidr(item);
    if (typeof cidr === "string") ctx.addIssue({ code: "custom", message: cidr });
    else cidrs.push(cidr);
  }
  return cidrs;
});

const CLOCK_TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const OFF_HOURS = new RegExp(`^\\s*${CLOCK_TIME}\\s*-\\s*${CLOCK_TIME}\\s*$`);

/** "HH:MM-HH:MM" in local time, start included and end excluded; may cross midnight ("22:00-06:00"). */
const OffHours = z.string().transform((value, ctx) => {
  const match = OFF_HOURS.exec(value);
  if (!match) {
    ctx.addIssue({ code: "custom", message: 'must be "HH:MM-HH:MM", e.g. "00:00-05:00" or "22:00-06:00"' });
    return z.NEVER;
  }
  const [startMinute, endMinute] = [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])];
  if (startMinute === endMinute) {
    ctx.addIssue({ code: "custom", message: "start and end must differ" });
    return z.NEVER;
  }
  return { startMinute, endMinute };
});

const TimeZone = z.string().transform((value, ctx) => {
  const zone = canonicalTimeZone(value.trim());
  if (zone === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not a time zone known to Intl (e.g. "UTC", "Europe/Berlin")`,
    });
    return z.NEVER;
  }
  return zone;
});

export const DetectionConfigSchema = z
  .object({
    /** Failures from one IP (failure_burst) or against one user (targeted_account) that make a burst. */
    burstThreshold: count(100_000).min(2).default(5),
    /** The sliding window of the burst and spraying rules, and the gap that still merges single events. */
    windowMinutes: count(24 * 60).default(10),
    /** Distinct users one IP must fail against within the window (password_spraying). */
    sprayUsers: count(100_000).min(2).default(5),
    /** Actions whose failures count as attempts; empty: every action. */
    failureActions: list.default([]),
    allowedNetworks: Networks.prefault(["10.0.0.0/16"]),
    offHours: OffHours.prefault("00:00-05:00"),
    timeZone: TimeZone.prefault("UTC"),
    /** How far back before the analysed range a user's history is read. */
    baselineDays: count(366).default(14),
    /** A user's history counts once it holds this many successful events... */
    minHistoryEvents: count(1_000_000).default(20),
    /** ...on this many distinct local days. */
    minHistoryDays: count(366).default(3),
    /** An hour of day holding less than this share of a user's history (or none of it) is rare for them. */
    rareHourPercent: z.coerce.number().min(0).max(100).default(2),
    /** How late (behind the latest log seen) a log may arrive and still be analysed in order. */
    maxLatenessSeconds: z.coerce.number().int("must be a whole number").min(0).max(3_600).default(60),
    /** A steady source without a log for this long is silent (source_silent). */
    silenceMinutes: count(7 * 24 * 60).default(30),
    /** A source is steady when enough of the slots of this length... */
    silenceSteadySlotMinutes: count(24 * 60).default(10),
    /** ...over these hours up to its last log hold a log of it... */
    silenceSteadyHours: count(7 * 24).default(24),
    /** ...at least this share of them (so a source seen for a few minutes never is). */
    silenceSteadyPercent: z.coerce.number().min(1).max(100).default(90),
    /** Sources never judged silent, besides Ledgerline's own audit log. */
    silenceIgnoredSources: list.default([]),
  })
  .strict()
  .superRefine((settings, ctx) => {
    const slots = (settings.silenceSteadyHours * 60) / settings.silenceSteadySlotMinutes;
    if (!Number.isInteger(slots) || slots < 2 || slots > MAX_SILENCE_SLOTS) {
      ctx.addIssue({
        code: "custom",
        path: ["silenceSteadySlotMinutes"],
        message: `must divide the steady period (${settings.silenceSteadyHours} h) into 2 to ${MAX_SILENCE_SLOTS} whole slots`,
      });
    }
    // A source logging once a slot can leave almost two slots between logs.
    if (settings.silenceMinutes < 2 * settings.silenceSteadySlotMinutes) {
      ctx.addIssue({
        code: "custom",
        path: ["silenceMinutes"],
        message: `must be at least twice the steady slot (${2 * settings.silenceSteadySlotMinutes} minutes)`,
      });
    }
  });

export type DetectionConfigInput = z.input<typeof DetectionConfigSchema>;

export type DetectionConfig = Readonly<{
  burstThreshold: number;
  windowMs: number;
  sprayUsers: number;
  failureActions: readonly string[];
  allowedNetworks: readonly Cidr[];
  offHours: Readonly<{ startMinute: number; endMinute: number }>;
  timeZone: string;
  baselineMs: number;
  minHistoryEvents: number;
  minHistoryDays: number;
  rareHourShare: number;
  maxLatenessMs: number;
  silence: SilenceConfig;
}>;

export type SilenceConfig = Readonly<{
  silenceMs: number;
  slotMs: number;
  /** Slots of the steady period, the last one holding the source's last log. */
  slots: number;
  /** Slots of those that must hold a log for the source to be steady. */
  steadySlots: number;
  ignoredSources: readonly string[];
}>;

/** Whether a minute of the local day (0-1439) falls in the off hours; the range may cross midnight. */
/** Whether an action is a sign-in attempt the failure rules count: any, when failureActions is empty. */
export function attemptActionTest({
  failureActions,
}: Pick<DetectionConfig, "failureActions">): (action: string) => boolean {
  const actions = new Set(failureActions);
  return (action) => actions.size === 0 || actions.has(action);
}

export function isOffHours({ startMinute, endMinute }: DetectionConfig["offHours"], minute: number): boolean {
  return startMinute < endMinute
    ? minute >= startMinute && minute < endMinute
    : minute >= startMinute || minute < endMinute;
}

/** Environment variables, by setting. */
export const DETECTION_ENV: Readonly<Record<keyof DetectionConfigInput, string>> = {
  burstThreshold: "ANOMALY_BURST_THRESHOLD",
  windowMinutes: "ANOMALY_WINDOW_MINUTES",
  sprayUsers: "ANOMALY_SPRAY_USERS",
  failureActions: "ANOMALY_FAILURE_ACTIONS",
  allowedNetworks: "ANOMALY_ALLOWED_NETWORKS",
  offHours: "ANOMALY_OFF_HOURS",
  timeZone: "ANOMALY_TIME_ZONE",
  baselineDays: "ANOMALY_BASELINE_DAYS",
  minHistoryEvents: "ANOMALY_MIN_HISTORY_EVENTS",
  minHistoryDays: "ANOMALY_MIN_HISTORY_DAYS",
  rareHourPercent: "ANOMALY_RARE_HOUR_PERCENT",
  maxLatenessSeconds: "ANOMALY_MAX_LATENESS_SECONDS",
  silenceMinutes: "ANOMALY_SILENCE_MINUTES",
  silenceSteadySlotMinutes: "ANOMALY_SILENCE_STEADY_SLOT_MINUTES",
  silenceSteadyHours: "ANOMALY_SILENCE_STEADY_HOURS",
  silenceSteadyPercent: "ANOMALY_SILENCE_STEADY_PERCENT",
  silenceIgnoredSources: "ANOMALY_SILENCE_IGNORED_SOURCES",
};

export class DetectionConfigError extends Error {
  override name = "DetectionConfigError";
}

/** Validates settings given in code; unset ones take their defaults. */
export function parseDetectionConfig(input: DetectionConfigInput = {}): DetectionConfig {
  return validate(input, (setting) => setting);
}

/** Reads the ANOMALY_* variables of an environment; empty values count as unset. */
export function detectionConfigFromEnv(env: Record<string, string | undefined>): DetectionConfig {
  const input: Record<string, string> = {};
  for (const [setting, variable] of Object.entries(DETECTION_ENV)) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== "") input[setting] = value;
  }
  return validate(input, (setting) => DETECTION_ENV[setting as keyof DetectionConfigInput] ?? setting);
}

function validate(input: unknown, nameOf: (setting: string) => string): DetectionConfig {
  const result = DetectionConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.length > 0 ? nameOf(String(issue.path[0])) : "settings"}: ${issue.message}`,
    );
    throw new DetectionConfigError(`Invalid anomaly detection configuration:\n${problems.join("\n")}`);
  }
  const settings = result.data;
  return Object.freeze({
    burstThreshold: settings.burstThreshold,
    windowMs: settings.windowMinutes * 60_000,
    sprayUsers: settings.sprayUsers,
    failureActions: Object.freeze(settings.failureActions),
    allowedNetworks: Object.freeze(settings.allowedNetworks),
    offHours: Object.freeze(settings.offHours),
    timeZone: settings.timeZone,
    baselineMs: settings.baselineDays * 86_400_000,
    minHistoryEvents: settings.minHistoryEvents,
    minHistoryDays: settings.minHistoryDays,
    rareHourShare: settings.rareHourPercent / 100,
    maxLatenessMs: settings.maxLatenessSeconds * 1000,
    silence: silenceConfigOf(settings),
  });
}

function silenceConfigOf(settings: z.output<typeof DetectionConfigSchema>): SilenceConfig {
  const slots = (settings.silenceSteadyHours * 60) / settings.silenceSteadySlotMinutes;
  return Object.freeze({
    silenceMs: settings.silenceMinutes * 60_000,
    slotMs: settings.silenceSteadySlotMinutes * 60_000,
    slots,
    // The epsilon keeps a product like 90.00000000000001 from asking for one slot more.
    steadySlots: Math.ceil((slots * settings.silenceSteadyPercent) / 100 - 1e-9),
    ignoredSources: Object.freeze([...new Set(settings.silenceIgnoredSources)]),
  });
}
