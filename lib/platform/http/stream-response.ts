// A streamed response body from an async generator of text or byte chunks.
const encoder = new TextEncoder();

/**
 * Reads the first chunk before answering, so that an unreachable database is
 * an error status rather than a 200 cut off after its headers; later failures
 * can only end the stream early (the export formats let a reader notice).
 */
export async function streamResponse(
  chunks: AsyncGenerator<string | Uint8Array>,
  headers: Record<string, string>,
): Promise<Response> {
  const first = await chunks.next();
  // A read still waiting when the client goes away ends on a closed stream: nobody is left to answer.
  let isCancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(bytesOf(first.value));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (isCancelled) return;
        if (next.done) controller.close();
        else controller.enqueue(bytesOf(next.value));
      } catch (error) {
        if (isCancelled) return;
        console.error("ledgerline: a streamed response failed midway:", error);
        controller.error(error);
      }
    },
    async cancel() {
      isCancelled = true;
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers });
}

function bytesOf(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === "string" ? encoder.encode(chunk) : chunk;
}
