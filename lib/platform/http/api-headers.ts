// The security headers of API responses. next.config.ts sets them on every API
// path, because the request proxy, which sets them on pages (with a
// per-request CSP nonce), does not run for API paths (proxy.ts says why).
// No imports: next.config.ts loads this file without the app's path aliases.

/** What every response carries, page or API; HSTS is added over HTTPS (security-headers.ts). */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** An API answer is data, never a document: it may load nothing and be framed by nobody. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

// The paths lib/platform/http/api-paths.ts calls API paths, as next.config.ts sources:
// /api/…, /v1/…, and a first or second segment starting with "_" (/_bulk,
// /_cat/health, /<index>/_bulk), but not Next.js's own /_next/….
const API_SOURCES = [
  "/api/:path*",
  "/v1/:path*",
  "/:segment(_(?!next(?:/|$))[^/]*)/:path*",
  "/:index/:segment(_[^/]*)/:path*",
];

/** next.config.ts's `headers()`: the security headers on every API path. */
export function apiSecurityHeaderRules(): { source: string; headers: { key: string; value: string }[] }[] {
  const headers = Object.entries({
    ...COMMON_SECURITY_HEADERS,
    "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
  }).map(([key, value]) => ({ key, value }));
  return API_SOURCES.map((source) => ({ source, headers }));
}
