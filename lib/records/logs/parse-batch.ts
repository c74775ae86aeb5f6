// Turns an ingestion request body into validated log inputs: one JSON object,
// a JSON array of objects, or NDJSON (one object per line). Every item is
// checked before any is accepted, and all problems are reported at once.
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { ApiError } from "@/lib/platform/http/errors";
import { parseJsonText } from "@/lib/platform/http/body";
import { describeIssues, validationError, type FieldProblem } from "@/lib/platform/http/validation";
import { forgedVerdictProblem } from "@/lib/records/integrity/legacy-hash";
import { LogInput } from "./schemas";

export const JSON_TYPES = ["application/json"];
export const NDJSON_TYPES = ["application/x-ndjson", "application/ndjson"];

export function checkLogBatchType(type: string): void {
  if (!JSON_TYPES.includes(type) && !NDJSON_TYPES.includes(type)) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/json or application/x-ndjson${type ? `, not ${type}` : ""}.`,
    );
  }
}

export function parseLogBatch(text: string, type: string, maxItems: number): LogInput[] {
  checkLogBatchType(type);
  let items: unknown[];
  if (JSON_TYPES.includes(type)) {
    const parsed = parseJsonText(text);
    if (Array.isArray(parsed)) items = parsed;
    else if (parsed !== null && typeof parsed === "object") items = [parsed];
    else throw new ApiError("validation_failed", "The body must be a JSON object or an array of objects.");
  } else {
    items = parseNdjson(text);
  }
  if (items.length === 0) throw new ApiError("validation_failed", "The request contains no logs.");
  if (items.length > maxItems) {
    throw new ApiError(
      "payload_too_large",
      `The request has ${items.length} logs; at most ${maxItems} are accepted at once.`,
    );
  }
  return validateLogItems(items);
}

/** Every item checked as a log input; a 400 naming each problem's item and field when any is not one. */
export function validateLogItems(items: unknown[]): LogInput[] {
  const problems: FieldProblem[] = [];
  const inputs = items.map((item, index) => {
    const result = LogInput.safeParse(item);
    const forged = result.success ? claimProblem(result.data) : undefined;
    if (forged) problems.push({ index, ...forged });
    else if (result.success) return result.data;
    else problems.push(...describeIssues(result.error.issues, index));
    return undefined;
  });
  if (problems.length > 0) throw validationError(problems);
  return inputs as LogInput[];
}

/**
 * What a sender may not claim in a valid log: only an import that checked the
 * original project's hash may say so, and only Ledgerline writes its own audit log.
 */
export function claimProblem(input: LogInput): Omit<FieldProblem, "index"> | undefined {
  return forgedVerdictProblem(input.metadata) ?? reservedSourceProblem(input.source);
}

/** Ledgerline's own source, in any case: only Ledgerline writes its audit log. */
export function isReservedSource(source: string): boolean {
  return source.toLowerCase() === AUDIT_SOURCE;
}

function reservedSourceProblem(source: string | undefined): Omit<FieldProblem, "index"> | undefined {
  if (source === undefined || !isReservedSource(source)) return undefined;
  return {
    field: "source",
    message: "is reserved for Ledgerline's own audit log; name the service that sent the event",
  };
}

function parseNdjson(text: string): unknown[] {
  const items: unknown[] = [];
  text.split("\n").forEach((line, lineIndex) => {
    if (line.trim() === "") return;
    items.push(parseJsonText(line, `Line ${lineIndex + 1}`));
  });
  return items;
}
