import { TotpConfirmation } from "@/lib/records/auth/totp-schemas";
import { EXAMPLE_RECOVERY_CODES, TotpEnabledAnswer } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/auth/totp/confirm", route, {
  POST: {
    operationId: "confirmTotpEnrolment",
    summary: "Turn two-factor sign-in on with a first code",
    tag: "auth",
    body: { content: json(TotpConfirmation, { code: "123 456" }) },
    responses: {
      200: {
        description: "On; the recovery codes, shown this once.",
        content: json(TotpEnabledAnswer, { enabled: true, recovery_codes: EXAMPLE_RECOVERY_CODES }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "conflict"],
  },
});
