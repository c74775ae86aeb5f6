import { signedFieldsOf, type StoredLog } from "./record";

/** A log as API clients and exports see it: every signed field under its snake_case name, and the MAC. */
export type LogJson = ReturnType<typeof signedFieldsOf> & { mac: string };

export function logJson(log: StoredLog): LogJson {
  return { ...signedFieldsOf(log), mac: log.mac };
}
