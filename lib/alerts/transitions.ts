// Which status changes people may make to an alert. Pure, so the browser's
// buttons and the server's check read the same table.
import type { AlertStatus } from "./alerts";

/** From each status, the statuses it may change to: acknowledge, resolve, or reopen a resolved alert. */
export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  open: ["acknowledged", "resolved"],
  acknowledged: ["resolved"],
  resolved: ["open"],
};

export function isAllowedTransition(from: AlertStatus, to: AlertStatus): boolean {
  return ALERT_TRANSITIONS[from].includes(to);
}

/** The longest note a person may add to a status change. */
export const MAX_NOTE_LENGTH = 500;

/** What a button that makes this change says. */
export const ALERT_ACTION_LABELS: Readonly<Record<AlertStatus, string>> = {
  acknowledged: "Acknowledge",
  resolved: "Resolve",
  open: "Reopen",
};
