// The GET routes that read no query parameter, each with 2,000 generated
// hostile query strings (operator and prototype names, invalid
// percent-encoding, NUL, hostile values): the query changes nothing, so each
// answers as it does without one, never 5xx. (The routes that read theirs are fuzzed in
// fuzz-read-logs, fuzz-read-export-*, fuzz-read-alerts, fuzz-ingest-bulk and
// fuzz-ingest-syslog.)
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Db } from "mongodb";
import * as catHealth from "@/app/%5Fcat/health/route";
import * as clusterHealth from "@/app/%5Fcluster/health/route";
import * as indexTemplate from "@/app/%5Findex_template/[name]/route";
import * as license from "@/app/%5Flicense/route";
import * as xpack from "@/app/%5Fxpack/route";
import * as totp from "@/app/api/auth/totp/route";
import * as elasticsearch from "@/app/api/elasticsearch/route";
import * as health from "@/app/api/health/route";
import * as integrityHead from "@/app/api/integrity/head/route";
import * as publicKey from "@/app/api/integrity/public-key/route";
import * as integrity from "@/app/api/integrity/route";
import * as keys from "@/app/api/keys/route";
import * as openapi from "@/app/api/openapi.json/route";
import * as suppressions from "@/app/api/suppressions/route";
import * as users from "@/app/api/users/route";
import { createSession } from "@/lib/records/auth/sessions";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { assertAnswer, fragment, fuzz, FUZZ_RUNS, OPERATOR_WORDS } from "./support/hostile";
import { call } from "./support/http";
import { queryString } from "./support/read-fuzz";

setupAppDatabase("fuzz_read_other_routes");

let db: Db;
const credentials: { ingest?: string; read?: string; session?: string } = {};

before(async () => {
  db = await getDb();
  credentials.ingest = await createTestApiKey(db, ["ingest"]);
  credentials.read = await createTestApiKey(db, ["read"]);
  const admin = await createUser(db, { email: "admin@fuzz.example", role: "admin" }, "correct horse battery staple", {
    user: "test",
  });
  credentials.session = (await createSession(db, admin.id)).cookieValue;
});

/** `elastic`: answers as Elasticsearch does (a 404 probe answer is no error envelope). */
type Route = {
  path: string;
  GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
  as?: keyof typeof credentials;
  params?: Record<string, string>;
  elastic?: true;
};
const ROUTES: Route[] = [
  { path: "/api/health", GET: health.GET as Route["GET"] },
  { path: "/api/openapi.json", GET: openapi.GET },
  { path: "/api/integrity", GET: integrity.GET, as: "read" },
  { path: "/api/integrity/head", GET: integrityHead.GET },
  { path: "/api/integrity/public-key", GET: publicKey.GET },
  { path: "/api/keys", GET: keys.GET, as: "session" },
  { path: "/api/suppressions", GET: suppressions.GET, as: "read" },
  { path: "/api/users", GET: users.GET, as: "session" },
  { path: "/api/auth/totp", GET: totp.GET, as: "session" },
  { path: "/api/elasticsearch", GET: elasticsearch.GET, as: "ingest" },
  { path: "/_cat/health", GET: catHealth.GET, as: "ingest" },
  { path: "/_cluster/health", GET: clusterHealth.GET, as: "ingest" },
  { path: "/_license", GET: license.GET, as: "ingest" },
  { path: "/_xpack", GET: xpack.GET, as: "ingest" },
  {
    path: "/_index_template/ledgerline",
    GET: indexTemplate.GET,
    as: "ingest",
    params: { name: "ledgerline" },
    elastic: true,
  },
];

const anyPair = fc.tuple(
  fc.oneof(
    fc.constantFrom("$where", "__proto__", "constructor", "toString", "user[$ne]", "limit", "from", "format", ""),
    fragment,
  ),
  fc.oneof(fc.constantFrom(...OPERATOR_WORDS, "1e400", "\u0000"), fragment),
);

function get(route: Route, query: string) {
  const as = route.as;
  const auth = as === undefined ? {} : as === "session" ? { session: credentials.session } : { key: credentials[as] };
  return call(route.GET, "GET", `${route.path}${query ? `?${query}` : ""}`, { ...auth, params: route.params });
}

describe("fuzz: GET routes that read no query parameter", () => {
  for (const route of ROUTES) {
    it(`answers GET ${route.path} with ${FUZZ_RUNS} generated query strings as without one`, async () => {
      const check = route.elastic ? (answer: { status: number }) => assert.ok(answer.status < 500) : assertAnswer;
      const plain = await get(route, "");
      check(plain);
      await fuzz(`GET ${route.path}`, queryString(anyPair), async (query) => {
        const answer = await get(route, query);
        check(answer);
        assert.equal(answer.status, plain.status, `${route.path}?${query}: ${answer.text.slice(0, 300)}`);
      });
    });
  }
});
