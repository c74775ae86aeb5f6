import { ReauthenticationBody, TotpDisabledAnswer } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/auth/totp/disable", route, {
  POST: {
    operationId: "disableTotp",
    summary: "Turn two-factor sign-in off",
    description: "With a current code or the password. An administrator cannot while REQUIRE_MFA_FOR_ADMINS is on.",
    tag: "auth",
    body: { content: json(ReauthenticationBody, { password: "correct horse battery" }) },
    responses: { 200: { description: "Off.", content: json(TotpDisabledAnswer, { enabled: false }) } },
    errors: [...JSON_BODY_ERRORS, "forbidden", "conflict", "rate_limited"],
  },
});
