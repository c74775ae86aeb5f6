// The methods each route answers: its route.ts's exports, which
// app/api/openapi.json/route-methods.test.ts holds this list to. Next.js
// answers a method a route does not export with a 405 that has no Allow
// header (RFC 9110 requires one), and a method outside its seven (QUERY) with
// an empty 400; the proxy answers both with 405 and Allow instead.
export const ROUTE_METHODS: Readonly<Record<string, readonly string[]>> = {
  "/api/logs": ["GET", "POST"],
  "/api/logs/syslog": ["POST"],
  "/v1/logs": ["POST"],
  "/_bulk": ["POST"],
  "/{index}/_bulk": ["POST"],
  "/api/elasticsearch": ["GET"],
  "/_cat/health": ["GET"],
  "/_cluster/health": ["GET"],
  "/_license": ["GET"],
  "/_xpack": ["GET"],
  "/_index_template/{name}": ["GET", "PUT"],
  "/api/logs/export": ["GET"],
  "/api/alerts": ["GET"],
  "/api/alerts/{id}/status": ["POST"],
  "/api/alerts/status": ["POST"],
  "/api/suppressions": ["GET", "POST"],
  "/api/suppressions/{id}": ["DELETE"],
  "/api/anomalies": ["GET"],
  "/api/anomalies/stream": ["GET"],
  "/api/integrity": ["GET"],
  "/api/integrity/head": ["GET"],
  "/api/integrity/public-key": ["GET"],
  "/api/integrity/verify": ["POST"],
  "/api/auth/login": ["POST"],
  "/api/auth/logout": ["POST"],
  "/api/auth/totp": ["GET", "POST"],
  "/api/auth/totp/confirm": ["POST"],
  "/api/auth/totp/disable": ["POST"],
  "/api/auth/totp/recovery-codes": ["POST"],
  "/api/keys": ["GET", "POST"],
  "/api/keys/{id}": ["DELETE"],
  "/api/users": ["GET", "POST"],
  "/api/users/{id}/disable": ["POST"],
  "/api/import": ["POST"],
  "/api/health": ["GET"],
  "/api/openapi.json": ["GET"],
};

// Exact paths first, so that /api/logs/export is never taken for a {param} path.
const MATCHERS = Object.entries(ROUTE_METHODS)
  .sort(([a], [b]) => Number(a.includes("{")) - Number(b.includes("{")))
  .map(([template, methods]) => ({
    pattern: new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
    // Next.js answers HEAD with GET's handler, and OPTIONS itself.
    allowed: new Set([...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"]),
  }));

/** The Allow header for a method the route at `pathname` does not answer; undefined when it does, or when no route is there. */
export function allowForUnansweredMethod(method: string, pathname: string): string | undefined {
  const route = MATCHERS.find(({ pattern }) => pattern.test(pathname));
  if (!route || route.allowed.has(method)) return undefined;
  return [...route.allowed].sort().join(", ");
}
