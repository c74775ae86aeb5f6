import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import { ApiError } from "./errors";

/** The media type of a request without parameters, lower-cased ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * Reads the body as bytes, refusing it with 413 as soon as it passes maxBytes.
 * A gzip body (Content-Encoding: gzip) is inflated as it arrives and the limit
 * holds for both what was sent and what it inflates to, so a gzip bomb is
 * refused after at most maxBytes of output; any other encoding is 415.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const isGzip = contentEncoding(request) === "gzip";
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  return isGzip ? inflateBody(request.body, maxBytes, tooLarge) : readCapped(request.body, maxBytes, tooLarge);
}

/** The body as UTF-8 text (readBodyBytes); bytes that are not UTF-8 get a 400, or with `replaceInvalid` become U+FFFD. */
export async function readBodyText(
  request: Request,
  maxBytes: number,
  { replaceInvalid = false } = {},
): Promise<string> {
  const body = await readBodyBytes(request, maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: !replaceInvalid }).decode(body);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
}

const IDENTITY = new Set(["", "identity"]);
const GZIP = new Set(["gzip", "x-gzip"]);

function contentEncoding(request: Request): "identity" | "gzip" {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (IDENTITY.has(encoding)) return "identity";
  if (GZIP.has(encoding)) return "gzip";
  throw new ApiError(
    "unsupported_media_type",
    `Content-Encoding must be gzip or identity, not ${encoding}.`,
    undefined,
    { "Accept-Encoding": "gzip" },
  );
}

async function readCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => ApiError,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
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
  return Buffer.concat(chunks);
}

async function inflateBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => ApiError,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let sent = 0;
  let inflated = 0;
  let refusal: ApiError | undefined;
  const refuse = (error: ApiError) => {
    refusal = error;
    throw error;
  };
  try {
    await pipeline(
      Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          sent += chunk.byteLength;
          if (sent > maxBytes) refuse(tooLarge());
          yield chunk;
        }
      },
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          inflated += chunk.byteLength;
          if (inflated > maxBytes) refuse(tooLarge());
          chunks.push(chunk);
        }
      },
    );
  } catch (error) {
    if (refusal) throw refusal;
    const reason =
      (error as { code?: unknown }).code === "Z_BUF_ERROR"
        ? "it ends early"
        : error instanceof Error
          ? error.message
          : "it cannot be inflated";
    throw new ApiError("validation_failed", `The request body is not valid gzip (Content-Encoding: gzip): ${reason}.`);
  }
  return Buffer.concat(chunks);
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
    return await new Response(capped, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
  } catch {
    if (isTooLarge) throw tooLarge();
    throw new ApiError("validation_failed", "The body is not valid multipart/form-data.");
  }
}
