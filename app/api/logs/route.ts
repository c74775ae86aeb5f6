// POST /api/logs – ingest one log, a JSON array of logs, or NDJSON
// GET /api/logs – one page of the logs a filter matches, newest first by default
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { mediaType, readBodyText } from "@/lib/http/body";
import { apiHandler } from "@/lib/http/handler";
import { admitIngestRequest, ingestForPrincipal } from "@/lib/http/ingest-request";
import { parseLogFilter } from "@/lib/logs/filters";
import { logJson } from "@/lib/logs/log-json";
import { checkLogBatchType, parseLogBatch } from "@/lib/logs/parse-batch";
import { searchLogPage } from "@/lib/explorer/audited-reads";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ scope: "ingest" }, async (request, { principal, budget }) => {
  const config = getConfig();
  const db = await getDb();
  await admitIngestRequest(db, principal, budget);
  const type = mediaType(request);
  checkLogBatchType(type);
  const text = await readBodyText(request, config.ingestMaxBodyBytes);
  const result = await ingestForPrincipal(db, principal, parseLogBatch(text, type, config.ingestMaxItems), budget);
  return Response.json(result, { status: result.accepted > 0 ? 201 : 200, headers: { "Cache-Control": "no-store" } });
});

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request, { principal }) => {
  const filter = parseLogFilter(new URL(request.url).searchParams, new Date());
  const page = await searchLogPage(await getDb(), filter, actorOf(principal, request), "api");
  const cursors = { next_cursor: page.nextCursor, prev_cursor: page.prevCursor };
  // nextCursor/prevCursor: the earlier names, kept for one release.
  return Response.json({ items: page.items.map(logJson), ...cursors, nextCursor: cursors.next_cursor, prevCursor: cursors.prev_cursor }, { headers: { "Cache-Control": "no-store" } });
});
