// Findings and alerts in the document, as detection and alertJson write them.
import { z } from "zod";
import type { alertGroupJson, alertJson, alertSummaryJson } from "@/lib/derived/alerts/alert-json";
import { ALERT_STATUSES } from "@/lib/derived/alerts/alert-record";
import { FINDING_TYPES, SEVERITIES, type Finding } from "@/lib/records/anomaly/finding";
import type { ANOMALY_QUERY_FIELDS } from "@/lib/records/anomaly/range-params";
import { component } from "@/lib/features/openapi/components";
import { answerSchema, WireDate } from "@/lib/features/openapi/wire";

/** The time range and types GET /api/anomalies and GET /api/alerts share. */
export const ANOMALY_QUERY_DESCRIPTIONS: Record<keyof typeof ANOMALY_QUERY_FIELDS, string> = {
  from: "Start of the range: ISO 8601 with an offset or Z.",
  to: "End of the range (default now).",
  type: `Finding types, comma-separated or repeated: ${FINDING_TYPES.join(", ")}.`,
};

const FINDING_FIELDS = {
  type: z.enum(FINDING_TYPES),
  severity: z.enum(SEVERITIES),
  ip: z.string().optional(),
  user: z.string().optional(),
  source: z.string().optional(),
  start: WireDate.meta({ description: "Time of the finding's first log." }),
  end: WireDate.meta({ description: "Time of its last log." }),
  count: z.int().min(0).meta({ description: "How many logs make the finding." }),
  log_ids: z.array(z.string()).meta({ description: "The first few of them." }),
  explanation: z.string(),
};

export const FindingAnswer = component("Finding", answerSchema<Finding>()(z.object(FINDING_FIELDS)));

export const AlertAnswer = component(
  "Alert",
  answerSchema<ReturnType<typeof alertJson>>()(
    z.object({
      id: z.string(),
      ...FINDING_FIELDS,
      status: z.enum(ALERT_STATUSES),
      suppressed_by: z.string().optional().meta({
        description: "The suppression rule that muted the alert when detection raised it (GET /api/suppressions).",
      }),
      created_at: WireDate,
      updated_at: WireDate,
      history: z.array(
        z.object({ status: z.enum(ALERT_STATUSES), by: z.string(), at: WireDate, note: z.string().optional() }),
      ),
    }),
  ),
);

export const AlertSummaryAnswer = component(
  "AlertSummary",
  answerSchema<ReturnType<typeof alertSummaryJson>>()(
    z.object({
      id: z.string(),
      type: z.enum(FINDING_TYPES),
      severity: z.enum(SEVERITIES),
      ip: z.string().optional(),
      user: z.string().optional(),
      source: z.string().optional(),
      start: WireDate,
      end: WireDate,
      count: z.int().min(0),
      created_at: WireDate,
      status: z.enum(ALERT_STATUSES),
      last_change: z
        .object({ at: WireDate, by: z.string() })
        .optional()
        .meta({ description: "The latest status change people made, if any." }),
    }),
  ),
);

export const AlertGroupAnswer = component(
  "AlertGroup",
  answerSchema<ReturnType<typeof alertGroupJson>>()(
    z.object({
      subject: z.string().meta({ description: "The IP, user or source the group's alerts share." }),
      kind: z.enum(["ip", "user", "source"]),
      types: z.array(z.enum(FINDING_TYPES)),
      severity: z.enum(SEVERITIES).meta({ description: "The highest of its alerts." }),
      start: WireDate,
      end: WireDate,
      count: z.int().min(0).meta({ description: "Logs over all its alerts." }),
      alert_count: z.int().min(1),
      alerts: z.array(AlertSummaryAnswer).meta({ description: "The first 25 of its alerts in the list's order." }),
    }),
  ),
);

export const EXAMPLE_FINDING: z.input<typeof FindingAnswer> = {
  type: "failure_burst",
  severity: "high",
  ip: "203.0.113.9",
  start: "2026-01-31T11:52:10.000Z",
  end: "2026-01-31T11:58:40.000Z",
  count: 7,
  log_ids: ["billing-7f3a", "billing-7f3b"],
  explanation: "7 failed events from 203.0.113.9 within 10 minutes.",
};

export const EXAMPLE_ALERT: z.input<typeof AlertAnswer> = {
  id: "2b0c6e1d-4f7a-9c3e-81d2-5a6b7c8d9e0f",
  ...EXAMPLE_FINDING,
  status: "acknowledged",
  created_at: "2026-01-31T12:00:05.000Z",
  updated_at: "2026-01-31T12:10:00.000Z",
  history: [
    {
      status: "acknowledged",
      by: "ana@example.com",
      at: "2026-01-31T12:10:00.000Z",
      note: "Known scanner; blocking it.",
    },
  ],
};
