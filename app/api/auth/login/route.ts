// POST /api/auth/login – sign in with email and password; sets the session cookie
import { z } from "zod";
import { signIn } from "@/lib/auth/sign-in";
import { sessionCookieHeader } from "@/lib/auth/session-cookie";
import { Email } from "@/lib/auth/user-schemas";
import { getDb } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { checkSameOrigin } from "@/lib/http/csrf";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";
import { isHttpsRequest } from "@/lib/http/security-headers";

export const dynamic = "force-dynamic";

const LoginBody = z.strictObject({ email: Email, password: z.string().min(1, "is required").max(256) });

export const POST = apiHandler({ public: true }, async (request) => {
  checkSameOrigin(request, "json"); // login CSRF: only our own page may sign a browser in
  const body = await readJsonBody(request, LoginBody);
  const result = await signIn(await getDb(), { ...body, ip: clientIp(request.headers) });
  if (!result.ok && result.reason === "rate_limited") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    throw new ApiError(
      "rate_limited",
      `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      undefined,
      { "Retry-After": String(result.retryAfterSeconds) },
    );
  }
  if (!result.ok) throw new ApiError("unauthorized", "The email or password is incorrect.");

  const { id, email, name, role } = result.user;
  return Response.json(
    { user: { id, email, name, role } },
    {
      headers: {
        "Set-Cookie": sessionCookieHeader(result.cookieValue, result.expiresAt, isHttpsRequest(request.url, request.headers)),
        "Cache-Control": "no-store",
      },
    },
  );
});
