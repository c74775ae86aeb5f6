// GET /api/logs/export?format=ndjson[&from&to] – the verifiable export, streamed
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { apiHandler } from "@/lib/http/handler";
import { validationError } from "@/lib/http/validation";
import { getCheckpointSigner } from "@/lib/integrity/active-keyring";
import { ndjsonChunks, verifiableExport } from "@/lib/integrity/export";
import { parseExportSelection, SelectionError } from "@/lib/logs/export-selection";

export const dynamic = "force-dynamic";

export const GET = apiHandler({ role: "viewer", scope: "read" }, async (request) => {
  const params = new URL(request.url).searchParams;
  if (params.get("format") !== "ndjson") {
    throw validationError([{ field: "format", message: 'must be "ndjson" (the verifiable export)' }]);
  }
  params.delete("format");
  let selection;
  try {
    selection = parseExportSelection(params.toString());
  } catch (error) {
    if (error instanceof SelectionError) throw new ApiError("validation_failed", error.message, [{ field: error.message.split(":")[0], message: error.message }]);
    throw error;
  }
  const chunks = ndjsonChunks(
    verifiableExport(await getDb(), selection, { publicKeys: getCheckpointSigner().publicKeys(), maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs }),
  );
  // The first chunk is read here, so that an unreachable database is a 503, not a cut-off stream.
  const first = await chunks.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("ledgerline: export failed mid-stream:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(selection.from, new URLSearchParams(selection.query).get("to"))}"`,
      "Cache-Control": "no-store",
    },
  });
});

function exportFileName(from: Date | undefined, to: string | null): string {
  const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const range = from || to ? `${from ? stamp(from) : "start"}-${to ? stamp(new Date(to)) : "now"}` : "all-time";
  return `ledgerline-logs-${range}.ndjson`;
}
