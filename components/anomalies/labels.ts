import type { FindingType, Severity } from "@/lib/records/anomaly";
import type { AlertStatus } from "@/lib/derived/alerts/alert-record";

export const FINDING_TYPE_LABELS: Record<FindingType, string> = {
  failure_burst: "Failed-login bursts",
  targeted_account: "Targeted accounts",
  password_spraying: "Password spraying",
  success_after_failures: "Success after failures",
  unknown_network: "Unknown networks",
  off_hours: "Off-hours activity",
  new_ip_for_user: "New address for a user",
  rare_hour_for_user: "Unusual hour for a user",
  source_silent: "Silent sources",
};

export const SEVERITY_STYLES: Record<Severity, string> = {
  low: "bg-slate-100 text-slate-700 ring-slate-300",
  medium: "bg-amber-50 text-amber-800 ring-amber-300",
  high: "bg-orange-100 text-orange-900 ring-orange-300",
  critical: "bg-red-600 text-white ring-red-700",
};

export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  suppressed: "Suppressed",
};

export const ALERT_STATUS_STYLES: Record<AlertStatus, string> = {
  open: "bg-red-50 text-red-800 ring-red-200",
  acknowledged: "bg-amber-50 text-amber-800 ring-amber-200",
  resolved: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  suppressed: "bg-slate-100 text-slate-700 ring-slate-300",
};
