import type { SignedLogFields } from "./canonical";

/** A minimal signed log for unit tests; override any field. */
export function makeSignedFields(overrides: Partial<SignedLogFields> = {}): SignedLogFields {
  return {
    log_id: "log-1",
    timestamp: "2025-01-01T00:00:00Z",
    received_at: new Date("2025-01-01T00:00:01.234Z"),
    ip: "10.0.0.1",
    user: "alice",
    action: "login",
    status: "success",
    sequence: 1,
    key_id: "k1",
    ...overrides,
  };
}
