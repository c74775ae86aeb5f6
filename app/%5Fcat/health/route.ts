// GET /_cat/health – rsyslog's probe before it sends again (HEAD answers the same, without the body)
import { apiHandler } from "@/lib/http/handler";
import { catHealthText, ELASTIC_HEADERS } from "@/lib/elasticsearch/probes";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ scope: "ingest" }, async () => new Response(catHealthText(new Date()), { headers: { ...ELASTIC_HEADERS, "Content-Type": "text/plain; charset=utf-8" } }));
