// GET /_license – asked by Beats and Logstash before they set anything up
import { apiHandler } from "@/lib/features/requests/handler";
import { ELASTIC_HEADERS, licenseAnswer } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler({ scope: "ingest" }, async () =>
  Response.json(licenseAnswer(), { headers: ELASTIC_HEADERS }),
);
