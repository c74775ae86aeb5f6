// The one-line explanations of the single-event rules and of silent sources.
// Every logged value is passed through plainText (addresses, actions, sources)
// or quotedUser (user names).
import type { Explain } from "./event-rules";
import { formatDuration, plainText, plural, quotedUser, type OpenFinding } from "./finding";
import { formatCidr, type Cidr } from "@/lib/foundation/net/networks";

export type SuccessDetail = { action: string; afterMs: number; failures: number; burstSubject: "ip" | "user" };
export type OffHoursDetail = { minute: number; timeZone: string };
export type NewIpDetail = { knownIps: number; baselineDays: number };
export type RareHourDetail = { hour: number; inHour: number; events: number; timeZone: string };
export type SourceSilentDetail = { source: string; occupied: number; slots: number; slotMs: number; silentMs: number };

/** "HH:MM" of a minute of the day. */
export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

const span = (finding: OpenFinding) =>
  finding.count > 1 ? ` within ${formatDuration(finding.end - finding.start)}` : "";
const ipOf = (finding: OpenFinding) => plainText(finding.subject.ip ?? "");
const userOf = (finding: OpenFinding) => quotedUser(finding.subject.user ?? "");

export const explainSuccessAfterFailures: Explain<SuccessDetail> = (finding, detail) => {
  const burst = detail.burstSubject === "ip" ? `from ${ipOf(finding)}` : `against this user`;
  return (
    `${plural(finding.count, "successful event")} (first: ${plainText(detail.action)}) by ${userOf(finding)} from ${ipOf(finding)}` +
    `${span(finding)}, ${formatDuration(detail.afterMs)} after a burst of ${plural(detail.failures, "failed event")} ${burst}`
  );
};

export function explainUnknownNetwork(allowed: readonly Cidr[]): Explain<void> {
  const shown =
    allowed.slice(0, 3).map(formatCidr).join(", ") + (allowed.length > 3 ? `, +${allowed.length - 3} more` : "");
  return (finding) =>
    `${plural(finding.count, "event")} from ${ipOf(finding)}${span(finding)}, outside the allowed networks (${shown || "none"})`;
}

export const explainOffHours: Explain<OffHoursDetail> = (finding, detail) =>
  `${plural(finding.count, "event")} by ${userOf(finding)} in off hours${span(finding)}, the first at ${formatClock(detail.minute)} ${detail.timeZone}`;

export const explainNewIp: Explain<NewIpDetail> = (finding, detail) =>
  `${plural(finding.count, "successful event")} by ${userOf(finding)} from ${ipOf(finding)}${span(finding)}, ` +
  `an address not among the ${plural(detail.knownIps, "address", "addresses")} of their ${detail.baselineDays}-day history`;

export function explainRareHour(rareShare: number): Explain<RareHourDetail> {
  return (finding, detail) => {
    const share = detail.inHour === 0 ? "none" : `${((100 * detail.inHour) / detail.events).toFixed(1)}%`;
    return (
      `${plural(finding.count, "successful event")} by ${userOf(finding)}${span(finding)} in the hour from ${formatClock(detail.hour * 60)} ${detail.timeZone}, ` +
      `which holds ${share} of their ${detail.events} history events (rare below ${rareShare * 100}%)`
    );
  };
}

export function explainSourceSilent({ source, occupied, slots, slotMs, silentMs }: SourceSilentDetail): string {
  return (
    `source "${plainText(source)}" sent logs in ${occupied} of the ${slots} slots of ${formatDuration(slotMs)} in the ${formatDuration(slots * slotMs)} ` +
    `up to its last log, then nothing for ${formatDuration(silentMs)}`
  );
}
