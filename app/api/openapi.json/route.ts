// GET /api/openapi.json – the OpenAPI 3.1 document of every route (public by design)
import { apiHandler } from "@/lib/http/handler";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/openapi/document";
import { ROUTES } from "./routes";

export const dynamic = "force-dynamic";

let openApiDocument: OpenApiDocument | undefined;

export const GET = apiHandler({ public: true }, async () => {
  openApiDocument ??= buildOpenApiDocument(ROUTES);
  // It changes only with a new version of the app.
  return Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } });
});
