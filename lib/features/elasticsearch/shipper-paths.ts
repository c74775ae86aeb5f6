// The root asked by a client that does not want HTML is a log shipper asking
// which Elasticsearch it talks to: the request proxy rewrites it to ROOT_PROBE.
export const ROOT_PROBE = "/api/elasticsearch";

export function isRootProbe(method: string, pathname: string, accept: string | null): boolean {
  return (
    pathname === "/" && (method === "GET" || method === "HEAD") && !(accept ?? "").toLowerCase().includes("text/html")
  );
}
