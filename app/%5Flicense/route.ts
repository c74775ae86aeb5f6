// GET /_license – asked by Beats and Logstash before they set anything up
import { apiHandler } from "@/lib/http/handler";
import { ELASTIC_HEADERS, licenseAnswer } from "@/lib/elasticsearch/probes";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ scope: "ingest" }, async () => Response.json(licenseAnswer(), { headers: ELASTIC_HEADERS }));
