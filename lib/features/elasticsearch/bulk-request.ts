// The request wrapper both bulk routes share (POST /_bulk, POST /<index>/_bulk):
// the ingest steps of every protocol (lib/features/requests/ingest-request.ts) around the body's items.
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { mediaType, readBodyText } from "@/lib/platform/http/body";
import { ApiError } from "@/lib/platform/http/errors";
import { apiHandler } from "@/lib/features/requests/handler";
import { admitIngestRequest } from "@/lib/features/requests/ingest-request";
import { describeIssues } from "@/lib/platform/http/validation";
import { checkBulkType, parseBulkBody } from "./bulk-body";
import { ingestBulk } from "./bulk-ingest";
import { ELASTIC_HEADERS } from "./probes";

// Elasticsearch's parameters of a bulk request: taken and ignored (every answer is whole and unfiltered).
export const BULK_PARAMETERS = [
  "refresh",
  "pipeline",
  "routing",
  "timeout",
  "wait_for_active_shards",
  "require_alias",
  "require_data_stream",
  "_source",
  "_source_includes",
  "_source_excludes",
  "filter_path",
  "error_trace",
  "human",
  "pretty",
  "list_executed_pipelines",
  "include_source_on_error",
] as const;
export const BulkSearchParams = z.strictObject(
  Object.fromEntries(BULK_PARAMETERS.map((name) => [name, z.string().optional()])),
);
export const BulkPathParams = z.strictObject({
  index: z.string().min(1).max(255, "must be at most 255 characters").optional(),
});

export const bulkPost = apiHandler({ scope: "ingest" }, async (request, { principal, params, budget }) => {
  const config = getConfig();
  const db = await getDb();
  await admitIngestRequest(db, principal, budget);
  const query = BulkSearchParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  // Next passes no params at all to a route without dynamic segments (/_bulk).
  const path = BulkPathParams.safeParse((await params) ?? {});
  if (!query.success || !path.success) {
    const problems = [
      ...(query.success ? [] : describeIssues(query.error.issues)),
      ...(path.success ? [] : describeIssues(path.error.issues)),
    ];
    throw new ApiError("validation_failed", "The query parameters or the index are not valid.", problems);
  }
  checkBulkType(mediaType(request));
  const text = await readBodyText(request, config.ingestMaxBodyBytes);
  const answer = await ingestBulk(db, principal, parseBulkBody(text, config.ingestMaxItems), {
    index: path.data.index,
    budget,
  });
  return Response.json(answer, { headers: ELASTIC_HEADERS });
});
