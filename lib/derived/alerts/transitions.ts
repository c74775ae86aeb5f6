// Which status changes people may make to an alert. Pure, so the browser's
// buttons and the server's check read the same table.
import type { AlertStatus } from "./alert-record";

/** The statuses a person may give an alert; only detection makes one suppressed. */
export const CHOSEN_STATUSES = ["open", "acknowledged", "resolved"] as const satisfies readonly AlertStatus[];
export type ChosenStatus = (typeof CHOSEN_STATUSES)[number];

/** From each status, the statuses it may change to: acknowledge, resolve, or reopen a resolved or muted alert. */
export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly ChosenStatus[]>> = {
  open: ["acknowledged", "resolved"],
  acknowledged: ["resolved"],
  resolved: ["open"],
  suppressed: ["open", "resolved"],
};

export function isAllowedTransition(from: AlertStatus, to: AlertStatus): boolean {
  return (ALERT_TRANSITIONS[from] as readonly AlertStatus[]).includes(to);
}

/** The longest note a person may add to a status change. */
export const MAX_NOTE_LENGTH = 500;

/** What a button that makes this change says. */
export const ALERT_ACTION_LABELS: Readonly<Record<ChosenStatus, string>> = {
  acknowledged: "Acknowledge",
  resolved: "Resolve",
  open: "Reopen",
};
