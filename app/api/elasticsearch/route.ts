// GET /api/elasticsearch – what Elasticsearch answers at its root, for log shippers that ask
// which version they talk to; proxy.ts sends GET / here for clients that do not want HTML
import { apiHandler } from "@/lib/features/requests/handler";
import { ELASTIC_HEADERS, rootAnswer } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler({ scope: "ingest" }, async () =>
  Response.json(rootAnswer(), { headers: ELASTIC_HEADERS }),
);
