// Suppression rules in the document, as suppressionRuleJson writes them.
import { z } from "zod";
import type { SuppressionRuleJson } from "@/lib/derived/alerts/suppression-json";
import { FINDING_TYPES } from "@/lib/records/anomaly/finding";
import { component } from "@/lib/features/openapi/components";
import { answerSchema, WireDate } from "@/lib/features/openapi/wire";

export const SuppressionRuleAnswer = component(
  "SuppressionRule",
  answerSchema<SuppressionRuleJson>()(
    z.object({
      id: z.string(),
      type: z.enum(FINDING_TYPES).nullable().meta({ description: "The finding type muted; null for every type." }),
      ip: z.string().nullable().meta({ description: "An address or CIDR range the finding's ip must be in." }),
      user: z.string().nullable().meta({ description: "The user the finding must name." }),
      source: z.string().nullable().meta({ description: "The silent source (source_silent findings only)." }),
      reason: z.string(),
      created_by: z.string(),
      created_at: WireDate,
      expires_at: WireDate.nullable().meta({ description: "When the rule stops muting; null for never." }),
      status: z
        .enum(["active", "expired", "removed"])
        .meta({ description: "Whether the rule mutes new findings now." }),
      removed_at: WireDate.nullable(),
      removed_by: z.string().nullable(),
    }),
  ),
);

export const EXAMPLE_SUPPRESSION_RULE: z.input<typeof SuppressionRuleAnswer> = {
  id: "6f1c2b9e-3d4a-4e8f-9a7b-1c2d3e4f5a6b",
  type: "unknown_network",
  ip: "203.0.113.0/24",
  user: null,
  source: null,
  reason: "The partner's office network; expected during the migration.",
  created_by: "ana@example.com",
  created_at: "2026-12-07T10:00:00.000Z",
  expires_at: "2026-12-14T10:00:00.000Z",
  status: "active",
  removed_at: null,
  removed_by: null,
};
