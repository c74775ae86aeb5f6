// POST /api/auth/logout – end the current session and clear its cookie
import { recordSecurityEvent } from "@/lib/records/audit/security-events";
import { clearedSessionCookieHeader } from "@/lib/records/auth/session-cookie";
import { SESSION_COOKIE } from "@/lib/records/auth/session-token";
import { deleteSession, readSession } from "@/lib/records/auth/sessions";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { readCookie } from "@/lib/platform/http/cookies";
import { checkSameOrigin } from "@/lib/platform/http/csrf";
import { apiHandler } from "@/lib/features/requests/handler";
import { isHttpsRequest } from "@/lib/platform/http/security-headers";

// Public so that a browser whose session already expired can still clear its cookie.
export const POST = apiHandler({ public: true }, async (request) => {
  checkSameOrigin(request, "json");
  const db = await getDb();
  const cookie = readCookie(request, SESSION_COOKIE);
  const user = await readSession(db, cookie);
  if (user) {
    await deleteSession(db, cookie);
    await recordSecurityEvent(db, {
      action: "sign_out",
      status: "success",
      user: user.email,
      ip: clientIp(request.headers),
    });
  }
  return new Response(null, {
    status: 204,
    headers: { "Set-Cookie": clearedSessionCookieHeader(isHttpsRequest(request.url, request.headers)) },
  });
});
