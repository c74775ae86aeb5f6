import { EmptyBody } from "@/lib/platform/http/json-body";
import { TotpEnrolmentAnswer, TotpStatusAnswer } from "@/lib/features/openapi/answers/auth";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

export default defineRoute("/api/auth/totp", route, {
  GET: {
    operationId: "getTotpStatus",
    summary: "Whether two-factor sign-in is on for the signed-in user",
    tag: "auth",
    responses: {
      200: {
        description: "The status.",
        content: json(TotpStatusAnswer, {
          enabled: true,
          enabled_at: "2026-01-30T09:05:00.000Z",
          recovery_codes_left: 9,
          required: false,
        }),
      },
    },
  },
  POST: {
    operationId: "startTotpEnrolment",
    summary: "Start enrolment: a new secret, as text and as a QR code",
    description: "Replaces a set-up not yet confirmed; POST /api/auth/totp/confirm with a first code turns it on.",
    tag: "auth",
    body: { content: json(EmptyBody, {}) },
    responses: {
      201: {
        description: "The secret for the authenticator app.",
        content: json(TotpEnrolmentAnswer, {
          secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
          otpauth_uri:
            "otpauth://totp/Ledgerline:ana%40example.com?issuer=Ledgerline&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30",
          qr_code:
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        }),
      },
    },
    errors: [...JSON_BODY_ERRORS, "conflict"],
  },
});
