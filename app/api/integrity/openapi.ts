import { EXAMPLE_VERIFY_REPORT, StoredReportAnswer } from "@/lib/features/openapi/answers/integrity";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/integrity", route, {
  GET: {
    operationId: "getLatestVerifyReport",
    summary: "The latest verification report",
    tag: "integrity",
    responses: {
      200: {
        description: "The report.",
        content: json(StoredReportAnswer, {
          id: "2026-01-31T12:05:00.000Z-9f3a1c2e",
          ...EXAMPLE_VERIFY_REPORT,
          run_by: "ana@example.com",
        }),
      },
    },
    errors: ["not_found"],
  },
});
