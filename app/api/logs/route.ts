// POST /api/logs – ingest one log, a JSON array of logs, or NDJSON
// GET /api/logs – one page of the logs a filter matches, newest first by default
import { reservedIdPrefixes } from "@/lib/auth/api-keys";
import { applyKeyBindings } from "@/lib/auth/key-bindings";
import { RateQuota } from "@/lib/auth/rate-quota";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { actorOf } from "@/lib/http/actor";
import { mediaType, readBodyText } from "@/lib/http/body";
import { ingestedByOf } from "@/lib/http/actor";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { getKeyring } from "@/lib/integrity/active-keyring";
import { ingestLogs } from "@/lib/logs/ingest";
import { parseLogFilter } from "@/lib/logs/filters";
import { logJson } from "@/lib/logs/log-json";
import { checkLogBatchType, parseLogBatch } from "@/lib/logs/parse-batch";
import { searchLogPage } from "@/lib/explorer/audited-reads";

export const dynamic = "force-dynamic";

const RATE_WINDOW_MS = 60_000;
const ingestQuota = new RateQuota();

export const POST = apiHandler({ scope: "ingest" }, async (request, { principal }) => {
  const config = getConfig();
  const db = await getDb();
  if (principal.kind === "api_key") {
    const decision = await ingestQuota.consume(db, `ingest:key:${principal.apiKey.id}`, {
      limit: config.ingestRateLimitPerMinute,
      windowMs: RATE_WINDOW_MS,
    });
    if (!decision.allowed) {
      throw new ApiError("rate_limited", `This API key sent more than ${config.ingestRateLimitPerMinute} requests in a minute; nothing from this request was stored.`, undefined, {
        "Retry-After": String(decision.retryAfterSeconds),
      });
    }
  }
  const type = mediaType(request);
  checkLogBatchType(type);
  const text = await readBodyText(request, config.ingestMaxBodyBytes);
  const parsed = parseLogBatch(text, type, config.ingestMaxItems);
  const inputs = principal.kind === "api_key" ? applyKeyBindings(principal.apiKey, parsed, await reservedIdPrefixes(db)) : parsed;
  const result = await ingestLogs(db, inputs, {
    keyring: getKeyring(),
    maxFutureSkewMs: config.ingestMaxFutureSkewMs,
    ingestedBy: ingestedByOf(principal),
  });
  return Response.json(result, { status: result.accepted > 0 ? 201 : 200, headers: { "Cache-Control": "no-store" } });
});

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request, { principal }) => {
  const filter = parseLogFilter(new URL(request.url).searchParams, new Date());
  const page = await searchLogPage(await getDb(), filter, actorOf(principal, request), "api");
  const cursors = { next_cursor: page.nextCursor, prev_cursor: page.prevCursor };
  // nextCursor/prevCursor: the earlier names, kept for one release.
  return Response.json({ items: page.items.map(logJson), ...cursors, nextCursor: cursors.next_cursor, prevCursor: cursors.prev_cursor }, { headers: { "Cache-Control": "no-store" } });
});
