import { ApiError } from "./errors";

/** The media type of a request without parameters, lower-cased ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Reads the body as UTF-8 text, refusing it with 413 as soon as it passes maxBytes; bytes that are not UTF-8 get a 400, or with `replaceInvalid` become U+FFFD. */
export async function readBodyText(request: Request, maxBytes: number, { replaceInvalid = false } = {}): Promise<string> {
  const tooLarge = () => new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: !replaceInvalid }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
}

/** JSON.parse with a 400 that says where the text stops being JSON. */
export function parseJsonText(text: string, where = "The request body"): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "invalid JSON";
    const position = Number(reason.match(/at position (\d+)/)?.[1]);
    const location = Number.isFinite(position) ? ` at ${lineAndColumn(text, position)} (position ${position})` : "";
    throw new ApiError("invalid_json", `${where} is not valid JSON${location}: ${reason}`, {
      position: Number.isFinite(position) ? position : null,
    });
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}

/** Reads a multipart/form-data body, refusing it with 413 as soon as it passes maxBytes. */
export async function readFormData(request: Request, maxBytes: number): Promise<FormData> {
  const tooLarge = () => new ApiError("payload_too_large", `The upload is larger than ${maxBytes} bytes.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  let size = 0;
  let isTooLarge = false;
  const capped = request.body?.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          isTooLarge = true;
          controller.error(new Error("too large"));
        } else controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(capped, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch {
    if (isTooLarge) throw tooLarge();
    throw new ApiError("validation_failed", "The body is not valid multipart/form-data.");
  }
}
