// The body of an OTLP/HTTP export of logs, in either encoding, as its
// envelope (ExportLogsRequest); 400 naming what is wrong when it is not one.
import { z } from "zod";
import { mediaType, parseJsonText, readBodyBytes, readBodyText } from "@/lib/platform/http/body";
import { ApiError } from "@/lib/platform/http/errors";
import { describeIssues, type FieldProblem } from "@/lib/platform/http/validation";
import { decodeExportLogsRequest } from "./logs-proto";
import { ExportLogsRequest } from "./schemas";

export type OtlpEncoding = "json" | "protobuf";

/** The media types of OTLP/HTTP bodies, and the encoding each names. */
export const OTLP_ENCODINGS: Record<string, OtlpEncoding> = {
  "application/json": "json",
  "application/x-protobuf": "protobuf",
};
// As deep as protobufjs decodes; a JSON AnyValue nests about four levels of JSON per level of value.
const MAX_JSON_DEPTH = 400;
const PROBLEMS_NAMED = 5;

/** The encoding of the request's body; 415 for a media type OTLP/HTTP does not use. */
export function otlpEncodingOf(request: Request): OtlpEncoding {
  const type = mediaType(request);
  const encoding = Object.hasOwn(OTLP_ENCODINGS, type) ? OTLP_ENCODINGS[type] : undefined;
  if (!encoding) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/json or application/x-protobuf (OTLP/HTTP)${type ? `, not ${type}` : ""}.`,
    );
  }
  return encoding;
}

export async function readExportLogsRequest(
  request: Request,
  encoding: OtlpEncoding,
  maxBytes: number,
): Promise<ExportLogsRequest> {
  const body =
    encoding === "json"
      ? parseJsonText(await readBodyText(request, maxBytes))
      : decodeProtobuf(await readBodyBytes(request, maxBytes));
  if (isNestedDeeperThan(body, MAX_JSON_DEPTH))
    throw notAnExport([{ field: "(body)", message: `nests more than ${MAX_JSON_DEPTH} levels deep` }]);
  const parsed = ExportLogsRequest.safeParse(body);
  if (!parsed.success) throw notAnExport(describeIssues(parsed.error.issues));
  return parsed.data;
}

function decodeProtobuf(bytes: Uint8Array): unknown {
  try {
    return decodeExportLogsRequest(bytes);
  } catch (error) {
    throw notAnExport([
      {
        field: "(body)",
        message: `is not a protobuf ExportLogsServiceRequest (${error instanceof Error ? error.message : "undecodable"})`,
      },
    ]);
  }
}

function notAnExport(problems: FieldProblem[]): ApiError {
  const named = problems.slice(0, PROBLEMS_NAMED).map(({ field, message }) => `${field}: ${message}`);
  const more = problems.length > PROBLEMS_NAMED ? `; and ${problems.length - PROBLEMS_NAMED} more` : "";
  return new ApiError(
    "validation_failed",
    `The body is not an OTLP export of logs: ${named.join("; ")}${more}.`,
    problems,
  );
}

/** Without recursion, so that a hostile body cannot exhaust the stack. */
function isNestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

export type ExportLogsRequest = z.infer<typeof ExportLogsRequest>;
