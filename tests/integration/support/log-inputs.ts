import { randomBytes } from "node:crypto";

let counter = 0;

/** One log as a service would send it; override any field. */
export function makeLogInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    log_id: `log-${randomBytes(6).toString("hex")}-${counter}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 10, 0, counter % 60)).toISOString(),
    ip: `10.0.${counter % 256}.${(counter * 7) % 256}`,
    user: `user${counter % 10}`,
    action: "login",
    status: counter % 3 === 0 ? "failed" : "success",
    ...overrides,
  };
}

export function makeLogInputs(count: number, overrides: Record<string, unknown> = {}) {
  return Array.from({ length: count }, () => makeLogInput(overrides));
}
