// What log shippers ask before they send (docs/shippers.md), through the route
// handlers and the request proxy: answered for a valid ingest key only, and a
// browser asking for HTML at / still gets the app.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { NextRequest } from "next/server";
import { GET as catHealth } from "@/app/%5Fcat/health/route";
import { GET as clusterHealth } from "@/app/%5Fcluster/health/route";
import { GET as getTemplate, PUT as putTemplate } from "@/app/%5Findex_template/[name]/route";
import { GET as license } from "@/app/%5Flicense/route";
import { GET as xpack } from "@/app/%5Fxpack/route";
import { GET as root } from "@/app/api/elasticsearch/route";
import { getDb } from "@/lib/platform/db/client";
import { proxy } from "@/proxy";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { call } from "./support/http";

setupAppDatabase("elasticsearch_probes");

let basic: string;

before(async () => {
  const key = await createTestApiKey(await getDb(), ["ingest"]);
  basic = `Basic ${Buffer.from(`rsyslog:${key}`).toString("base64")}`;
});

const probe = (handler: Parameters<typeof call>[0], method: string, path: string, authorization?: string) =>
  call(handler, method, path, {
    headers: authorization ? { authorization } : {},
    params: { name: "filebeat-8" },
    ...(method === "PUT" && { body: "{}" }),
  });

describe("Elasticsearch probes", () => {
  it("GET / (for clients not asking for HTML) tells the version and the product", async () => {
    const answer = await probe(root, "GET", "/api/elasticsearch", basic);
    assert.equal(answer.status, 200);
    assert.match(answer.body.version.number, /^8\.\d+\.\d+$/);
    assert.equal(answer.body.tagline, "You Know, for Search");
    assert.equal(answer.headers.get("x-elastic-product"), "Elasticsearch");
  });

  it("GET /_cat/health (rsyslog's, before it sends again) answers green as text", async () => {
    const answer = await probe(catHealth, "GET", "/_cat/health", basic);
    assert.equal(answer.status, 200);
    assert.match(answer.text, /^\d+ \d{2}:\d{2}:\d{2} ledgerline green/);
  });

  it("GET /_cluster/health, /_license and /_xpack answer what shippers read", async () => {
    assert.equal((await probe(clusterHealth, "GET", "/_cluster/health", basic)).body.status, "green");
    assert.equal((await probe(license, "GET", "/_license", basic)).body.license.status, "active");
    assert.deepEqual((await probe(xpack, "GET", "/_xpack", basic)).body.features, {});
  });

  it("keeps no index template: GET is 404, PUT is acknowledged", async () => {
    assert.equal((await probe(getTemplate, "GET", "/_index_template/filebeat-8", basic)).status, 404);
    const put = await probe(putTemplate, "PUT", "/_index_template/filebeat-8", basic);
    assert.deepEqual([put.status, put.body], [200, { acknowledged: true }]);
  });

  it("answers 401 to a probe without a valid key, so a misconfigured shipper learns it before sending", async () => {
    for (const handler of [root, catHealth, clusterHealth, license, xpack]) {
      assert.equal((await probe(handler, "GET", "/probe")).status, 401);
      assert.equal(
        (await probe(handler, "GET", "/probe", `Basic ${Buffer.from("rsyslog:wrong").toString("base64")}`)).status,
        401,
      );
    }
  });
});

describe("the request proxy", () => {
  const visit = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    proxy(new NextRequest(`http://localhost${path}`, { method, headers }));

  it("sends GET / and HEAD / of a client not asking for HTML to the version answer", () => {
    for (const [method, accept] of [
      ["GET", "application/json"],
      ["GET", "*/*"],
      ["HEAD", ""],
    ] as const) {
      const response = visit("/", accept ? { accept } : {}, method);
      assert.equal(
        new URL(response.headers.get("x-middleware-rewrite") ?? "http://x/none").pathname,
        "/api/elasticsearch",
        `${method} ${accept}`,
      );
    }
  });

  it("still sends a browser asking for HTML at / to the app (sign-in first)", () => {
    const response = visit("/", { accept: "text/html,application/xhtml+xml,*/*;q=0.8" });
    assert.equal(response.headers.get("x-middleware-rewrite"), null);
    assert.equal(new URL(response.headers.get("location")!).pathname, "/login");
  });

  it("lets the shippers' paths through without a session, and still sends signed-out page visits to sign in", () => {
    for (const path of ["/_bulk", "/auth/_bulk", "/_cat/health", "/_license"]) {
      const response = visit(path, {}, path.endsWith("_bulk") ? "POST" : "GET");
      assert.equal(response.headers.get("location"), null, path);
    }
    assert.equal(new URL(visit("/logs", { accept: "text/html" }).headers.get("location")!).pathname, "/login");
  });
});
