// GET /_cluster/health – a shipper's health check (Vector's)
import { apiHandler } from "@/lib/features/requests/handler";
import { clusterHealthAnswer, ELASTIC_HEADERS } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler({ scope: "ingest" }, async () =>
  Response.json(clusterHealthAnswer(), { headers: ELASTIC_HEADERS }),
);
