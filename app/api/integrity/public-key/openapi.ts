import { z } from "zod";
import { EXAMPLE_PUBLIC_KEY, PublicKeyAnswer } from "@/lib/features/openapi/answers/integrity";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/integrity/public-key", route, {
  GET: {
    operationId: "listCheckpointKeys",
    summary: "The checkpoint verification keys",
    tag: "integrity",
    responses: {
      200: {
        description: "Every key that signed or signs checkpoints.",
        content: json(z.object({ keys: z.array(PublicKeyAnswer) }), { keys: [EXAMPLE_PUBLIC_KEY] }),
      },
    },
  },
});
