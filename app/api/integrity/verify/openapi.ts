import { EXAMPLE_VERIFY_REPORT, VerifyReportAnswer } from "@/lib/features/openapi/answers/integrity";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/integrity/verify", route, {
  POST: {
    operationId: "verifyIntegrity",
    summary: "Verify every log and checkpoint now",
    description: "Reads every log in sequence order; the report is stored and GET /api/integrity answers it later.",
    tag: "integrity",
    responses: { 200: { description: "The report.", content: json(VerifyReportAnswer, EXAMPLE_VERIFY_REPORT) } },
  },
});
