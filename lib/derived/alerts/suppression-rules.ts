// Suppression rules: what analysts mute ("unknown_network for 203.0.113.0/24
// for 7 days"). A rule names a finding type (or any) and a subject: an
// address or CIDR range and/or a user, or a source (source_silent findings
// carry only a source). Pure: the schema the API and the form share, and
// whether a rule covers a finding at a given time (suppression-store.ts
// reads and writes them).
import { z } from "zod";
import { FINDING_TYPES, type Finding, type FindingType } from "@/lib/records/anomaly/finding";
import { LogInput, LogSource } from "@/lib/records/logs/schemas";
import { ipKey, ipKeyRange, InvalidIpError, type IpKeyRange } from "@/lib/foundation/net/ip";
import { MAX_NOTE_LENGTH } from "./transitions";

/** A rule as stored; `removed_at` keeps a removed rule judging the checkpoints signed before its removal alike. */
export type SuppressionRule = {
  _id: string;
  /** null: every finding type. */
  type: FindingType | null;
  /** An address or a CIDR range, as the analyst wrote it (lower-cased). */
  ip: string | null;
  user: string | null;
  source: string | null;
  reason: string;
  created_by: string;
  created_at: Date;
  /** null: never. */
  expires_at: Date | null;
  removed_at?: Date;
  removed_by?: string;
};

export const MAX_EXPIRY_DAYS = 365;
const DAY_MS = 86_400_000;

const IpOrCidr = z
  .string()
  .trim()
  .toLowerCase()
  .max(64, "must be at most 64 characters")
  .superRefine((value, ctx) => {
    try {
      ipKeyRange(value);
    } catch (error) {
      if (!(error instanceof InvalidIpError)) throw error;
      ctx.addIssue({
        code: "custom",
        message: `must be an IPv4 or IPv6 address or a CIDR range such as 203.0.113.0/24: ${error.message}`,
      });
    }
  });

const optional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const SuppressionRuleCreate = z
  .strictObject({
    type: optional(
      z.enum(FINDING_TYPES, { message: `must be one of ${FINDING_TYPES.join(", ")}, or null for every type` }),
    ),
    ip: optional(IpOrCidr),
    user: optional(LogInput.shape.user),
    source: optional(LogSource),
    reason: z
      .string()
      .trim()
      .min(1, "is required: say why these findings are expected")
      .max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`),
    expires_in_days: optional(
      z
        .int(`must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or null for never`)
        .min(1, `must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or null for never`)
        .max(MAX_EXPIRY_DAYS, `must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, or null for never`),
    ),
  })
  .superRefine((rule, ctx) => {
    if (rule.source != null) {
      if (rule.ip != null || rule.user != null)
        ctx.addIssue({
          code: "custom",
          path: ["source"],
          message:
            "cannot be combined with ip or user: only source_silent findings carry a source, and they have no ip or user",
        });
      if (rule.type != null && rule.type !== "source_silent")
        ctx.addIssue({
          code: "custom",
          path: ["source"],
          message: "applies only to source_silent findings: set type to source_silent or null",
        });
    } else if (rule.ip == null && rule.user == null) {
      ctx.addIssue({
        code: "custom",
        path: ["ip"],
        message: "is required unless user or source is given: a rule mutes findings of a subject",
      });
    }
  });
export type SuppressionRuleCreate = z.infer<typeof SuppressionRuleCreate>;

/** The stored rule for a request. */
export function ruleOf(input: SuppressionRuleCreate, id: string, createdBy: string, now: Date): SuppressionRule {
  return {
    _id: id,
    type: input.type ?? null,
    ip: input.ip ?? null,
    user: input.user ?? null,
    source: input.source ?? null,
    reason: input.reason,
    created_by: createdBy,
    created_at: now,
    expires_at: input.expires_in_days == null ? null : new Date(now.getTime() + input.expires_in_days * DAY_MS),
  };
}

export type SuppressionRuleState = "active" | "expired" | "removed" | "pending";

/** Where a rule stands at `at`: it mutes findings only while active. */
export function ruleStateAt(rule: SuppressionRule, at: Date): SuppressionRuleState {
  if (rule.removed_at && rule.removed_at <= at) return "removed";
  if (rule.created_at > at) return "pending";
  if (rule.expires_at && rule.expires_at <= at) return "expired";
  return "active";
}

/**
 * Which rule mutes a new finding, judged at `at` (the checkpoint's time):
 * the earliest-created rule active then that covers it, or undefined.
 */
export function createSuppressionMatcher(
  rules: readonly SuppressionRule[],
  at: Date,
): (finding: Finding) => string | undefined {
  const active = rules
    .filter((rule) => ruleStateAt(rule, at) === "active")
    .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map((rule) => ({ rule, range: rule.ip === null ? null : rangeOrNull(rule.ip) }));
  if (active.length === 0) return () => undefined;
  return (finding) => {
    const key = finding.ip === undefined ? null : keyOrNull(finding.ip);
    const covering = active.find(({ rule, range }) => {
      if (rule.type !== null && rule.type !== finding.type) return false;
      if (rule.user !== null && rule.user !== finding.user) return false;
      if (rule.source !== null && rule.source !== finding.source) return false;
      if (rule.ip !== null && (range === null || key === null || key < range.low || key > range.high)) return false;
      return true;
    });
    return covering?.rule._id;
  };
}

function rangeOrNull(ipOrCidr: string): IpKeyRange | null {
  try {
    return ipKeyRange(ipOrCidr);
  } catch {
    return null;
  }
}

// A logged address that is not one (detection keeps such values as they are) is in no range.
function keyOrNull(ip: string): string | null {
  try {
    return ipKey(ip);
  } catch {
    return null;
  }
}
