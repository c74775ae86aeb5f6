import { z } from "zod";
import { SyslogIngestAnswer } from "@/lib/features/openapi/answers/logs";
import { defineRoute, json, parametersOf } from "@/lib/features/openapi/define-route";
import { readSyslogText } from "@/lib/records/syslog/parse-lines";
import { SYSLOG_TYPES, SyslogParams } from "@/lib/records/syslog/request";
import * as route from "./route";

const LINES = [
  "Jan 31 12:00:01 web-1 sshd[4121]: Failed password for alice from 203.0.113.9 port 52144 ssh2",
  "Jan 31 12:00:09 web-1 sshd[4121]: Accepted password for alice from 203.0.113.9 port 52144 ssh2",
  "Jan 31 12:01:00 web-1 CRON[4200]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
].join("\n");

const Lines = z
  .string()
  .refine((text) => readSyslogText(text, { receivedAt: new Date() }).events.length > 0, "must hold a sign-in attempt")
  .meta({
    description:
      "Syslog lines (RFC 3164 with or without PRI, RFC 5424, RFC 3339-stamped), UTF-8; one log per sshd, sudo or su attempt.",
  });

export default defineRoute("/api/logs/syslog", route, {
  POST: {
    operationId: "ingestSyslogLines",
    summary: "Ingest syslog lines: one log per sshd, sudo or su attempt",
    description:
      "Other lines are skipped and counted by reason; sending the same lines again stores nothing twice (docs/shippers.md).",
    tag: "logs",
    parameters: parametersOf(
      "query",
      SyslogParams,
      { tz: "The IANA time zone BSD timestamps (which name none) were written in; default UTC." },
      { tz: "Europe/Paris" },
    ),
    body: { content: Object.fromEntries(SYSLOG_TYPES.map((type) => [type, { schema: Lines, example: LINES }])) },
    responses: {
      201: {
        description: "At least one log was stored.",
        content: json(SyslogIngestAnswer, {
          accepted: 2,
          duplicates: 0,
          skipped: { not_syslog: 0, no_security_event: 1, same_attempt: 0 },
          ids: ["sl-5f2c9a0e1b7d4c3a-1", "sl-0a9e8d7c6b5f4e3d-1"],
        }),
      },
      200: {
        description: "Nothing new: every attempt was already stored, or the lines held none.",
        content: json(SyslogIngestAnswer, {
          accepted: 0,
          duplicates: 2,
          skipped: { not_syslog: 0, no_security_event: 1, same_attempt: 0 },
          ids: ["sl-5f2c9a0e1b7d4c3a-1", "sl-0a9e8d7c6b5f4e3d-1"],
        }),
      },
    },
    errors: ["validation_failed", "payload_too_large", "unsupported_media_type", "conflict", "rate_limited"],
  },
});
