// What POST /api/logs/syslog makes of a request before storing: the media
// types and query it takes, and the body's lines read into validated log
// inputs. Every problem names the line it comes from.
import { z } from "zod";
import { ApiError } from "@/lib/platform/http/errors";
import { describeIssues } from "@/lib/platform/http/validation";
import { TimeZone } from "@/lib/records/logs/filters";
import { validateLogItems } from "@/lib/records/logs/parse-batch";
import { readSyslogText, type SyslogOptions, type SyslogText } from "./parse-lines";

/** octet-stream for shippers that cannot set a type; the body must be UTF-8 either way. */
export const SYSLOG_TYPES = ["text/plain", "application/octet-stream"];

export function checkSyslogType(type: string): void {
  if (!SYSLOG_TYPES.includes(type)) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be text/plain (lines of syslog)${type ? `, not ${type}` : ""}.`,
    );
  }
}

export const SyslogParams = z.strictObject({
  /** The zone BSD timestamps (`Dec  7 10:00:01`, which name none) were written in. */
  tz: TimeZone.default("UTC"),
});

export function parseSyslogParams(params: URLSearchParams): z.infer<typeof SyslogParams> {
  const query = SyslogParams.safeParse(Object.fromEntries(params));
  if (!query.success)
    throw new ApiError("validation_failed", "The query parameters are not valid.", describeIssues(query.error.issues));
  return query.data;
}

/** The body's events, each validated as POST /api/logs validates a log: 400 naming the line of each problem, 413 beyond maxItems. */
export function readSyslogBody(text: string, options: SyslogOptions, maxItems: number): SyslogText {
  const batch = readSyslogText(text, options);
  if (batch.lineCount === 0) throw new ApiError("validation_failed", "The request contains no lines.");
  if (batch.events.length > maxItems) {
    throw new ApiError(
      "payload_too_large",
      `The request's lines hold ${batch.events.length} logs; at most ${maxItems} are accepted at once.`,
    );
  }
  try {
    return { ...batch, events: validateLogItems(batch.events) };
  } catch (error) {
    throw withLines(error, batch.lines);
  }
}

/** Stores the batch's events; each problem refusing one of them also names its line. */
export async function namingLines<T>(batch: Pick<SyslogText, "lines">, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (error) {
    throw withLines(error, batch.lines);
  }
}

function withLines(error: unknown, lines: number[]): unknown {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return error;
  const details = error.details.map((problem: unknown) => {
    const index = (problem as { index?: unknown } | null)?.index;
    return typeof index === "number" && lines[index] !== undefined
      ? { ...(problem as object), line: lines[index] }
      : problem;
  });
  return new ApiError(error.code, error.message, details, error.headers);
}
