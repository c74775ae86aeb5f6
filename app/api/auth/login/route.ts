// POST /api/auth/login – sign in with email, password and, for accounts with two-factor sign-in, a code; sets the session cookie
import { z } from "zod";
import { signIn } from "@/lib/auth/sign-in";
import { sessionCookieHeader } from "@/lib/auth/session-cookie";
import { isTotpEnrolmentRequired } from "@/lib/auth/totp";
import { SecondFactorCode } from "@/lib/auth/totp-schemas";
import { Email } from "@/lib/auth/user-schemas";
import { getDb } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { checkSameOrigin } from "@/lib/http/csrf";
import { ApiError, tooManyAttemptsError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";
import { isHttpsRequest } from "@/lib/http/security-headers";

export const dynamic = "force-dynamic";

const LoginBody = z.strictObject({ email: Email, password: z.string().min(1, "is required").max(256), code: SecondFactorCode.optional() });

export const POST = apiHandler({ public: true }, async (request) => {
  checkSameOrigin(request, "json"); // login CSRF: only our own page may sign a browser in
  const body = await readJsonBody(request, LoginBody);
  const db = await getDb();
  const result = await signIn(db, { ...body, ip: clientIp(request.headers) });
  if (!result.ok && result.reason === "rate_limited") throw tooManyAttemptsError(result.retryAfterSeconds);
  if (!result.ok && result.reason === "second_factor_required") {
    throw new ApiError("second_factor_required", "Enter the code from your authenticator app, or one of your recovery codes.");
  }
  if (!result.ok && result.reason === "wrong_second_factor") {
    throw new ApiError("unauthorized", "The code is not right, or was used already. Enter the current code from your authenticator app.");
  }
  if (!result.ok) throw new ApiError("unauthorized", "The email or password is incorrect.");

  const { id, email, name, role } = result.user;
  return Response.json(
    { user: { id, email, name, role }, totp_enrolment_required: await isTotpEnrolmentRequired(db, result.user) },
    {
      headers: {
        "Set-Cookie": sessionCookieHeader(result.cookieValue, result.expiresAt, isHttpsRequest(request.url, request.headers)),
        "Cache-Control": "no-store",
      },
    },
  );
});
