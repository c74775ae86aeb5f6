// Runs before every request: security headers with a fresh CSP nonce, 405 with
// Allow for a method the route does not answer (lib/platform/http/route-methods.ts), and a
// redirect to /login for page visits without a genuine session cookie. It is
// only a first gate: every page and route handler checks the session itself.
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, tokenFromCookieValue } from "@/lib/records/auth/session-token";
import { isRootProbe, ROOT_PROBE } from "@/lib/features/elasticsearch/shipper-paths";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "@/lib/platform/http/api-headers";
import { isApiPath } from "@/lib/platform/http/api-paths";
import { PATH_HEADER } from "@/lib/platform/http/path-header";
import { allowForUnansweredMethod } from "@/lib/platform/http/route-methods";
import { contentSecurityPolicy, isHttpsRequest, securityHeaders } from "@/lib/platform/http/security-headers";

const PUBLIC_PAGES = ["/login"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isRootProbeRequest = isRootProbe(request.method, pathname, request.headers.get("accept"));
  if (isApiPath(pathname) && !isRootProbeRequest) return apiResponse(request.method, pathname);

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const hasSession = tokenFromCookieValue(request.cookies.get(SESSION_COOKIE)?.value) !== null;
  let response: NextResponse;
  if (isRootProbeRequest) {
    response = NextResponse.rewrite(new URL(ROOT_PROBE, request.url));
  } else if (!hasSession && !PUBLIC_PAGES.includes(pathname)) {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
    response = NextResponse.redirect(login);
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", csp);
    requestHeaders.set(PATH_HEADER, `${pathname}${search}`);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(securityHeaders(isHttpsRequest(request.url, request.headers))))
    response.headers.set(name, value);
  return response;
}

/** An API request without a body: 405 with Allow for a method its route does not answer. API answers keep next.config.ts's headers (a data CSP), not a page's. */
function apiResponse(method: string, pathname: string): NextResponse {
  const allow = allowForUnansweredMethod(method, pathname);
  if (allow === undefined) return NextResponse.next();
  return new NextResponse(null, {
    status: 405,
    headers: { Allow: allow, ...COMMON_SECURITY_HEADERS, "Content-Security-Policy": API_CONTENT_SECURITY_POLICY },
  });
}

// For API paths (/api/…, /v1/…, a segment starting with "_": isApiPath) only
// when the request has no body (or an empty one), and never for Next.js's own /_next/… files.
// Before a route handler starts, Next.js reads the whole body of a request the
// proxy runs for, keeping up to 10 MB of it and cutting the rest off: a 100 MB
// upload would be read in full before its 413, and an import between 10 MB and
// IMPORT_MAX_UPLOAD_BYTES would arrive cut. So a wrong method with a body gets
// Next.js's own 405, without Allow. next.config.ts gives API answers their
// security headers. (Next.js reads this object as written: literals only.)
export const config = {
  matcher: [
    "/((?!api/|v1/|(?:[^/]+/)*_|favicon.ico).*)",
    {
      source: "/:path((?:api|v1)/.*|(?:[^/]+/)*_(?!next/).*)",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
    {
      source: "/:path((?:api|v1)/.*|(?:[^/]+/)*_(?!next/).*)",
      has: [{ type: "header", key: "content-length", value: "0" }],
      missing: [{ type: "header", key: "transfer-encoding" }],
    },
  ],
};
