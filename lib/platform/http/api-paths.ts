// Paths that programs call, never pages: our API, and the log shippers'
// protocols at the paths the shippers post to (OTLP/HTTP's /v1/logs, and
// Elasticsearch's /_bulk, /<index>/_bulk, /_cat/health…: a segment starting
// with "_", which no page has).
const API_PREFIXES = ["/api/", "/v1/"];

/** Whether the path is answered by a route handler for programs, so a visit without a session is not sent to sign in. */
export function isApiPath(pathname: string): boolean {
  return (
    API_PREFIXES.some((prefix) => pathname.startsWith(prefix)) ||
    pathname.split("/").some((segment) => segment.startsWith("_"))
  );
}
