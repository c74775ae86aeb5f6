// GET /api/openapi.json – the OpenAPI 3.1 document of every route (public by design)
import { apiHandler } from "@/lib/features/requests/handler";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/features/openapi/document";

let openApiDocument: OpenApiDocument | undefined;

export const GET = apiHandler({ public: true }, async () => {
  // Loaded on first use: the routes' declarations include this route's own.
  openApiDocument ??= buildOpenApiDocument((await import("./routes")).ROUTES);
  // It changes only with a new version of the app.
  return Response.json(openApiDocument, { headers: { "Cache-Control": "public, max-age=300" } });
});
