// POST /api/logs/syslog?tz – ingest syslog lines (auth.log, RFC 3164, RFC 5424): one log per sshd, sudo or su attempt
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { mediaType, readBodyText } from "@/lib/platform/http/body";
import { apiHandler } from "@/lib/features/requests/handler";
import { admitIngestRequest, ingestForPrincipal } from "@/lib/features/requests/ingest-request";
import { checkSyslogType, namingLines, parseSyslogParams, readSyslogBody } from "@/lib/records/syslog/request";

export const POST = apiHandler({ scope: "ingest" }, async (request, { principal, budget }) => {
  const config = getConfig();
  const db = await getDb();
  await admitIngestRequest(db, principal, budget);
  checkSyslogType(mediaType(request));
  const { tz } = parseSyslogParams(new URL(request.url).searchParams);
  // Any local user can write bytes that are not UTF-8 into auth.log: refusing them would drop the attempts sent beside
  // them.
  const text = await readBodyText(request, config.ingestMaxBodyBytes, { replaceInvalid: true });
  const batch = readSyslogBody(text, { receivedAt: new Date(), timeZone: tz }, config.ingestMaxItems);
  const stored =
    batch.events.length === 0
      ? { accepted: 0, duplicates: 0, ids: [] }
      : await namingLines(batch, () => ingestForPrincipal(db, principal, batch.events, budget));
  const body = { accepted: stored.accepted, duplicates: stored.duplicates, skipped: batch.skipped, ids: stored.ids };
  return Response.json(body, { status: stored.accepted > 0 ? 201 : 200 });
});
