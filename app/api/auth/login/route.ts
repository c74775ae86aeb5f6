// POST /api/auth/login – sign in with email, password and, for accounts with two-factor sign-in, a code; sets the
// session cookie
import { signIn } from "@/lib/records/auth/sign-in";
import { sessionCookieHeader } from "@/lib/records/auth/session-cookie";
import { isTotpEnrolmentRequired } from "@/lib/records/auth/totp";
import { SignInBody } from "@/lib/records/auth/user-schemas";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { checkSameOrigin } from "@/lib/platform/http/csrf";
import { ApiError, tooManyAttemptsError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";
import { isHttpsRequest } from "@/lib/platform/http/security-headers";

export const POST = apiHandler({ public: true }, async (request) => {
  checkSameOrigin(request, "json"); // login CSRF: only our own page may sign a browser in
  const body = await readJsonBody(request, SignInBody);
  const db = await getDb();
  const result = await signIn(db, { ...body, ip: clientIp(request.headers) });
  if (!result.ok && result.reason === "rate_limited") throw tooManyAttemptsError(result.retryAfterSeconds);
  if (!result.ok && result.reason === "second_factor_required") {
    throw new ApiError(
      "second_factor_required",
      "Enter the code from your authenticator app, or one of your recovery codes.",
    );
  }
  if (!result.ok && result.reason === "wrong_second_factor") {
    throw new ApiError(
      "unauthorized",
      "The code is not right, or was used already. Enter the current code from your authenticator app.",
    );
  }
  if (!result.ok) throw new ApiError("unauthorized", "The email or password is incorrect.");

  const { id, email, name, role } = result.user;
  return Response.json(
    { user: { id, email, name, role }, totp_enrolment_required: await isTotpEnrolmentRequired(db, result.user) },
    {
      headers: {
        "Set-Cookie": sessionCookieHeader(
          result.cookieValue,
          result.expiresAt,
          isHttpsRequest(request.url, request.headers),
        ),
      },
    },
  );
});
