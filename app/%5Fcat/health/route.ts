// GET /_cat/health – rsyslog's probe before it sends again (HEAD answers the same, without the body)
import { apiHandler } from "@/lib/features/requests/handler";
import { catHealthText, ELASTIC_HEADERS } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler(
  { scope: "ingest" },
  async () =>
    new Response(catHealthText(new Date()), {
      headers: { ...ELASTIC_HEADERS, "Content-Type": "text/plain; charset=utf-8" },
    }),
);
