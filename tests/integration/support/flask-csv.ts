// Files in the original (Flask) project's CSV export format, for import tests:
// columns _id,timestamp,ip,user,action,status,log_hash,log_id, CRLF line ends
// (Python's csv module), log_hash the HMAC-SHA256 with its key over the plain
// concatenation log_id+timestamp+ip+user+action+status.
import { createHmac, randomBytes } from "node:crypto";
import Papa from "papaparse";

export const FLASK_KEY = "flask-legacy-secret";
export const FLASK_COLUMNS = ["_id", "timestamp", "ip", "user", "action", "status", "log_hash", "log_id"] as const;
export type FlaskRow = Record<(typeof FLASK_COLUMNS)[number], string>;

let counter = 0;

/** A row whose log_hash is right for FLASK_KEY (or for `key`), unless `log_hash` is given; empty without a log_id. */
export function makeFlaskRow(overrides: Partial<FlaskRow> = {}, key = FLASK_KEY): FlaskRow {
  counter += 1;
  const row = {
    _id: randomBytes(12).toString("hex"),
    timestamp: `2024-03-13T09:${String(counter % 60).padStart(2, "0")}:27.${String(100_000 + counter).slice(-6)}Z`,
    ip: `192.168.1.${counter % 250}`,
    user: `user${counter % 7}`,
    action: counter % 2 === 0 ? "login attempt" : "login_attempt",
    status: counter % 3 === 0 ? "failure" : "success",
    log_id: `${randomBytes(4).toString("hex")}-${counter}`,
    ...overrides,
  };
  const hash = row.log_id
    ? createHmac("sha256", key)
        .update(row.log_id + row.timestamp + row.ip + row.user + row.action + row.status)
        .digest("hex")
    : "";
  return { ...row, log_hash: overrides.log_hash ?? hash };
}

export function flaskCsv(rows: FlaskRow[]): string {
  return (
    Papa.unparse(
      { fields: [...FLASK_COLUMNS], data: rows.map((row) => FLASK_COLUMNS.map((column) => row[column])) },
      { newline: "\r\n" },
    ) + "\r\n"
  );
}
