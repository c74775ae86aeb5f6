// How severe each rule's findings are, in one place, and why in words: the
// window rules are high, or critical from CRITICAL_FACTOR times their
// threshold; every other rule has one severity.
import type { DetectionConfig } from "@/lib/foundation/detection-config";
import { formatClock } from "./explanations";
import { formatDuration, plural, type FindingType, type Severity } from "./finding";

/** A window rule's finding is critical once its measure (failures, or distinct users) reaches this many times the threshold. */
export const CRITICAL_FACTOR = 3;

export function windowRuleSeverity(measure: number, threshold: number): Severity {
  return measure >= CRITICAL_FACTOR * threshold ? "critical" : "high";
}

type WindowType = "failure_burst" | "targeted_account" | "password_spraying";

/** The severity of each rule whose findings always have the same one. */
export const RULE_SEVERITIES = {
  success_after_failures: "critical",
  unknown_network: "medium",
  off_hours: "low",
  new_ip_for_user: "medium",
  rare_hour_for_user: "low",
  source_silent: "high",
} as const satisfies Record<Exclude<FindingType, WindowType>, Severity>;

type SeverityConfig = Pick<
  DetectionConfig,
  "burstThreshold" | "sprayUsers" | "windowMs" | "offHours" | "timeZone" | "baselineMs" | "rareHourShare" | "silence"
>;

/** One or two sentences on why a finding of `type` has `severity`, under the settings `config` holds. */
export function severityReason(type: FindingType, severity: Severity, config: SeverityConfig): string {
  const window = formatDuration(config.windowMs);
  const windowRule = (measure: string, threshold: number) => {
    const critical = CRITICAL_FACTOR * threshold;
    return severity === "critical"
      ? `Critical: ${measure} reached ${critical}, ${CRITICAL_FACTOR} times the threshold of ${threshold} in ${window}.`
      : `High: ${measure} reached the threshold of ${threshold} in ${window}; it becomes critical at ${critical}.`;
  };
  switch (type) {
    case "failure_burst":
      return windowRule("the failed sign-ins from this address in one burst", config.burstThreshold);
    case "targeted_account":
      return windowRule("the failed sign-ins against this user in one burst", config.burstThreshold);
    case "password_spraying":
      return windowRule("the distinct users this address failed against", config.sprayUsers);
    case "success_after_failures":
      return "Critical: a sign-in succeeded right after a burst of failures from the same address or against the same user, which is how a guessed password looks.";
    case "unknown_network":
      return "Medium: activity from an address outside the allowed networks; often a traveller or a new office, sometimes an intruder.";
    case "off_hours":
      return `Low: activity in the off hours (${formatClock(config.offHours.startMinute)}–${formatClock(config.offHours.endMinute)} ${config.timeZone}); worth a look, rarely an attack on its own.`;
    case "new_ip_for_user":
      return `Medium: a successful sign-in from an address this user has not used in the ${plural(config.baselineMs / 86_400_000, "day")} before.`;
    case "rare_hour_for_user":
      return `Low: activity at an hour of day that holds under ${config.rareHourShare * 100}% of this user's history.`;
    case "source_silent":
      return `High: a source that sent logs steadily has sent none for ${formatDuration(config.silence.silenceMs)} or more; its host or its shipper may be down, or someone silenced it.`;
  }
}
