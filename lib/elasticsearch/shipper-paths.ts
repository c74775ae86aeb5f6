// Which requests the request proxy leaves to the Elasticsearch-compatible
// routes: paths with a segment starting with "_" (/_bulk, /<index>/_bulk,
// /_cat/health, ...), which no page has, and the root asked by a client that
// does not want HTML (a shipper asking the version), rewritten to ROOT_PROBE.
export const ROOT_PROBE = "/api/elasticsearch";

export function isShipperPath(pathname: string): boolean {
  return pathname.split("/").some((segment) => segment.startsWith("_"));
}

export function isRootProbe(method: string, pathname: string, accept: string | null): boolean {
  return pathname === "/" && (method === "GET" || method === "HEAD") && !(accept ?? "").toLowerCase().includes("text/html");
}
