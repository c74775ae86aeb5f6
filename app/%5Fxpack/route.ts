// GET /_xpack – asked by Beats and Logstash for the features they may use: none
import { apiHandler } from "@/lib/features/requests/handler";
import { ELASTIC_HEADERS, xpackAnswer } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler({ scope: "ingest" }, async () =>
  Response.json(xpackAnswer(), { headers: ELASTIC_HEADERS }),
);
