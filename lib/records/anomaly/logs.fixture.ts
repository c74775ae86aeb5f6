// Small factories for anomaly tests: logs at readable times, and a config with overrides.
import { parseDetectionConfig, type DetectionConfigInput } from "@/lib/foundation/detection-config";
import type { DetectableLog } from "./finding";

let counter = 0;

/** A successful login of alice from inside 10.0.0.0/16 at 2025-01-15 10:00 UTC, unless told otherwise. */
export function makeLog(overrides: Partial<Omit<DetectableLog, "time">> & { at?: string } = {}): DetectableLog {
  const { at = "10:00", ...fields } = overrides;
  return {
    log_id: `log-${++counter}`,
    time: at.includes("T") ? new Date(at) : new Date(`2025-01-15T${at.length === 5 ? `${at}:00` : at}Z`),
    ip: "10.0.1.5",
    user: "alice",
    action: "login",
    status: "success",
    ...fields,
  };
}

/** Failed logins at the given times ("HH:MM" or "HH:MM:SS" on 2025-01-15 UTC, or full ISO). */
export function failures(times: string[], fields: Partial<Omit<DetectableLog, "time">> = {}): DetectableLog[] {
  return times.map((at) => makeLog({ ip: "203.0.113.9", status: "failed", at, ...fields }));
}

/** A config whose single-event rules stay quiet unless a test turns them on. */
export function quietConfig(overrides: DetectionConfigInput = {}) {
  return parseDetectionConfig({ allowedNetworks: "0.0.0.0/0, ::/0", offHours: "23:59-00:00", ...overrides });
}
