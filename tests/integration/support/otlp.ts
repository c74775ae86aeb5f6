// OTLP/HTTP export requests as shippers send them, built from small factories.
import { randomBytes } from "node:crypto";

type Attribute = { key: string; value: Record<string, unknown> };

let counter = 0;

export const otlpString = (key: string, value: string): Attribute => ({ key, value: { stringValue: value } });

/** One sshd sign-in as an OTLP log record; `attributes` replace the sign-in's by key, null removes one. */
export function makeOtlpRecord(
  overrides: { attributes?: Record<string, string | null>; [field: string]: unknown } = {},
) {
  counter += 1;
  const { attributes: attributeOverrides = {}, ...fields } = overrides;
  const attributes: Record<string, string | null> = {
    "client.address": `198.51.100.${counter % 250}`,
    "user.name": `user${counter % 10}`,
    "event.name": "ssh_login",
    "event.outcome": counter % 2 === 0 ? "failure" : "success",
    ...attributeOverrides,
  };
  return {
    timeUnixNano: String(BigInt(Date.UTC(2026, 0, 1, 10, 0, counter % 60)) * 1_000_000n + BigInt(counter)),
    observedTimeUnixNano: String(BigInt(Date.UTC(2026, 0, 1, 10, 1)) * 1_000_000n),
    severityText: "INFO",
    body: { stringValue: `sshd sign-in ${counter} ${randomBytes(4).toString("hex")}` },
    attributes: Object.entries(attributes).flatMap(([key, value]) => (value == null ? [] : [otlpString(key, value)])),
    ...fields,
  };
}

/** An ExportLogsServiceRequest with one resource per service and one scope each. */
export function makeExportRequest(byService: Record<string, unknown[]>) {
  return {
    resourceLogs: Object.entries(byService).map(([service, logRecords]) => ({
      resource: { attributes: [otlpString("service.name", service), otlpString("host.name", "bastion-1")] },
      scopeLogs: [{ scope: { name: "test" }, logRecords }],
    })),
  };
}
