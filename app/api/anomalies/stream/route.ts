// GET /api/anomalies/stream?from&to&type – the findings of GET /api/anomalies as NDJSON events, with progress while the
// range is read
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import { detectionEvents } from "@/lib/derived/alerts/detection-events";
import { AnomalyRangeParams, anomalyRangeInput, resolveAnomalyRange } from "@/lib/records/anomaly/range-params";
import { apiHandler } from "@/lib/features/requests/handler";
import { detectionLimit } from "@/lib/features/requests/read-limits";
import { streamResponse } from "@/lib/platform/http/stream-response";
import { describeIssues, validationError } from "@/lib/platform/http/validation";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const query = AnomalyRangeParams.safeParse(anomalyRangeInput(new URL(request.url).searchParams));
  if (!query.success) throw validationError(describeIssues(query.error.issues), "no logs were read");
  const db = await getDb();
  const range = resolveAnomalyRange(query.data);
  // The slot is taken at the first read (streamResponse reads it before answering) and held until the stream is over.
  const lines = detectionLimit().runStream(() => ndjsonLines(detectionEvents(db, range, getConfig().anomaly)));
  return streamResponse(lines, {
    "Content-Type": "application/x-ndjson; charset=utf-8",
    // no-transform keeps the server from compressing, which would hold the progress lines back.
    "Cache-Control": "no-store, no-transform",
  });
});

async function* ndjsonLines(events: AsyncGenerator<unknown>): AsyncGenerator<string> {
  for await (const event of events) yield `${JSON.stringify(event)}\n`;
}
