import { EXAMPLE_RECOVERY_CODES, ReauthenticationBody, RecoveryCodesAnswer } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/auth/totp/recovery-codes", route, {
  POST: {
    operationId: "regenerateRecoveryCodes",
    summary: "New recovery codes; the old ones stop working",
    description: "With a current code or the password.",
    tag: "auth",
    body: { content: json(ReauthenticationBody, { code: "654321" }) },
    responses: {
      200: {
        description: "The new codes, shown this once.",
        content: json(RecoveryCodesAnswer, { recovery_codes: EXAMPLE_RECOVERY_CODES }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "conflict", "rate_limited"],
  },
});
