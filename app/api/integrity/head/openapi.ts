import { CheckpointAnswer, EXAMPLE_CHECKPOINT } from "@/lib/features/openapi/answers/integrity";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/integrity/head", route, {
  GET: {
    operationId: "getCheckpointHead",
    summary: "The latest signed checkpoint",
    description:
      "For auditors to keep: `npm run verify -- --since-head FILE` later proves that history kept growing from it.",
    tag: "integrity",
    responses: { 200: { description: "The checkpoint.", content: json(CheckpointAnswer, EXAMPLE_CHECKPOINT) } },
    errors: ["not_found"],
  },
});
