// GET /_index_template/<name> – no template is kept (404), so a shipper that sets one up sends it:
// PUT /_index_template/<name> – acknowledged and dropped, as every document is mapped the same way
import { apiHandler } from "@/lib/features/requests/handler";
import { ELASTIC_HEADERS } from "@/lib/features/elasticsearch/probes";

export const GET = apiHandler({ scope: "ingest" }, async () =>
  Response.json({ index_templates: [] }, { status: 404, headers: ELASTIC_HEADERS }),
);

export const PUT = apiHandler({ scope: "ingest" }, async () =>
  Response.json({ acknowledged: true }, { headers: ELASTIC_HEADERS }),
);
