// POST /api/logs/syslog?tz – ingest syslog lines (auth.log, RFC 3164, RFC 5424): one log per sshd, sudo or su attempt
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { mediaType, readBodyText } from "@/lib/http/body";
import { apiHandler } from "@/lib/http/handler";
import { admitIngestRequest, ingestForPrincipal } from "@/lib/http/ingest-request";
import { checkSyslogType, namingLines, parseSyslogQuery, readSyslogBody } from "@/lib/syslog/request";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ scope: "ingest" }, async (request, { principal, budget }) => {
  const config = getConfig();
  const db = await getDb();
  await admitIngestRequest(db, principal, budget);
  checkSyslogType(mediaType(request));
  const { tz } = parseSyslogQuery(new URL(request.url).searchParams);
  // Any local user can write bytes that are not UTF-8 into auth.log: refusing them would drop the attempts sent beside them.
  const text = await readBodyText(request, config.ingestMaxBodyBytes, { replaceInvalid: true });
  const batch = readSyslogBody(text, { receivedAt: new Date(), timeZone: tz }, config.ingestMaxItems);
  const stored = batch.events.length === 0 ? { accepted: 0, duplicates: 0, ids: [] } : await namingLines(batch, () => ingestForPrincipal(db, principal, batch.events, budget));
  const body = { accepted: stored.accepted, duplicates: stored.duplicates, skipped: batch.skipped, ids: stored.ids };
  return Response.json(body, { status: stored.accepted > 0 ? 201 : 200, headers: { "Cache-Control": "no-store" } });
});
