import { getConfig } from "@/lib/foundation/config";
import { COMMON_SECURITY_HEADERS } from "./api-headers";

// Headers every response carries. The Content-Security-Policy allows only our
// own scripts (each page's inline bootstrap scripts by a per-request nonce),
// no framing, no plugins, and connections only back to us.
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // Style attributes set by React and Chart.js; no script runs from CSS.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(isHttps: boolean): Record<string, string> {
  return {
    ...COMMON_SECURITY_HEADERS,
    ...(isHttps && { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }),
  };
}

/** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isHttpsRequest(url: string | URL, headers: Headers): boolean {
  if (new URL(url).protocol === "https:") return true;
  return getConfig().trustProxyHeaders && headers.get("x-forwarded-proto") === "https";
}
