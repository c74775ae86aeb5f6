// Small builders for integration-test data, plus the one probe tests need to
// tell the embedded server (FerretDB) from real MongoDB where they differ.
import type { Db } from "mongodb";

export type TestLog = {
  _id: string;
  time: Date;
  ip: string;
  user: string;
  action: string;
  status: string;
  sequence: number;
};

export const BASE_TIME = new Date("2025-01-01T00:00:00.000Z");

/** Minutes after BASE_TIME, for readable time filters. */
export function minutesAfterBase(minutes: number): Date {
  return new Date(BASE_TIME.getTime() + minutes * 60_000);
}

/** A log whose _id and time follow from its sequence unless overridden. */
export function makeLog(overrides: Partial<TestLog> & { sequence: number }): TestLog {
  return {
    _id: `log-${overrides.sequence}`,
    time: minutesAfterBase(overrides.sequence),
    ip: "10.0.0.1",
    user: "alice",
    action: "login",
    status: "success",
    ...overrides,
  };
}

/** `count` logs with sequences 1..count; `vary` sets per-log fields from the 0-based index. */
export function makeLogs(count: number, vary: (index: number) => Partial<TestLog> = () => ({})): TestLog[] {
  return Array.from({ length: count }, (_, index) => makeLog({ sequence: index + 1, ...vary(index) }));
}

/** FerretDB answers buildInfo with a ferretdbVersion field; MongoDB does not. */
export async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return "ferretdbVersion" in info;
}
