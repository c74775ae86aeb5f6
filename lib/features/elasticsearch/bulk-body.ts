// The body of the Elasticsearch bulk API: NDJSON where each action line
// ({"index": {...}}, {"create": ...}, {"update": ...}, {"delete": ...}) is
// followed by its document line, but for delete. A line that cannot be read
// as an action refuses the whole request (the pairs after it cannot be told
// apart); a document or action metadata we cannot take refuses its item only.
import { z } from "zod";
import { ApiError } from "@/lib/platform/http/errors";
import { parseJsonText } from "@/lib/platform/http/body";
import { describeIssues, validationError, type FieldProblem } from "@/lib/platform/http/validation";
import { LogId } from "@/lib/records/logs/schemas";

export const BULK_TYPES = ["application/json", "application/x-ndjson", "application/ndjson"];

export const OPERATIONS = ["index", "create", "update", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];

// Elasticsearch's other action metadata: taken and ignored, as nothing here is routed, versioned or piped.
const IGNORED = [
  "_type",
  "routing",
  "pipeline",
  "require_alias",
  "require_data_stream",
  "dynamic_templates",
  "version",
  "version_type",
  "if_seq_no",
  "if_primary_term",
  "retry_on_conflict",
  "_source",
  "list_executed_pipelines",
] as const;

const ActionMetadata = z.strictObject({
  _index: z.string().max(255, "must be at most 255 characters").optional(),
  _id: LogId.optional(),
  ...Object.fromEntries(IGNORED.map((name) => [name, z.unknown().optional()])),
});

export type BulkItem = {
  operation: Operation;
  /** The action's line in the body, from 1. */
  line: number;
  index?: string;
  id?: string;
  /** Why the action's metadata cannot be taken, naming each field. */
  problems: FieldProblem[];
  /** The document: an object, or why the line is not one. Absent for delete. */
  document?: { value: Record<string, unknown> } | { problem: string };
};

export function checkBulkType(type: string): void {
  if (!BULK_TYPES.includes(type)) {
    throw new ApiError(
      "unsupported_media_type",
      `Content-Type must be application/x-ndjson or application/json${type ? `, not ${type}` : ""}.`,
    );
  }
}

export function parseBulkBody(text: string, maxItems: number): BulkItem[] {
  const lines = text
    .split("\n")
    .flatMap((content, index) => (content.trim() === "" ? [] : [{ number: index + 1, content }]));
  const items: BulkItem[] = [];
  for (let at = 0; at < lines.length; at++) {
    const { number, content } = lines[at]!;
    const [operation, metadata] = readAction(content, number);
    const parsed = ActionMetadata.safeParse(metadata);
    const item: BulkItem = {
      operation,
      line: number,
      problems: parsed.success
        ? []
        : describeIssues(parsed.error.issues).map((problem) => ({
            ...problem,
            field: `${operation}.${problem.field}`,
          })),
      ...(typeof metadata._index === "string" && { index: metadata._index }),
      ...(typeof metadata._id === "string" && { id: metadata._id }),
    };
    if (operation !== "delete") {
      const source = lines[++at];
      if (!source) throw refusal(number, `the ${operation} action has no document line after it`);
      item.document = readDocument(source.content);
    }
    items.push(item);
    if (items.length > maxItems) {
      throw new ApiError(
        "payload_too_large",
        `The request has more than ${maxItems} actions; at most ${maxItems} are accepted at once.`,
      );
    }
  }
  if (items.length === 0) throw new ApiError("validation_failed", "The request contains no actions.");
  return items;
}

function readAction(content: string, number: number): [Operation, Record<string, unknown>] {
  const action = parseJsonText(content, `Line ${number}`);
  const keys = action !== null && typeof action === "object" && !Array.isArray(action) ? Object.keys(action) : [];
  const operation = OPERATIONS.find((name) => name === keys[0]);
  if (keys.length !== 1 || !operation) {
    throw refusal(number, `is not a bulk action: expected an object with one of ${OPERATIONS.join(", ")}`);
  }
  const metadata = (action as Record<string, unknown>)[operation];
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata))
    throw refusal(number, `'${operation}' must hold an object`);
  return [operation, metadata as Record<string, unknown>];
}

function readDocument(content: string): NonNullable<BulkItem["document"]> {
  try {
    const value: unknown = JSON.parse(content);
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return { value: value as Record<string, unknown> };
    return { problem: "the document must be a JSON object" };
  } catch (error) {
    return { problem: `the document is not valid JSON: ${error instanceof Error ? error.message : "invalid JSON"}` };
  }
}

function refusal(line: number, message: string): ApiError {
  return validationError([{ field: `line ${line}`, message }], "nothing was stored");
}
