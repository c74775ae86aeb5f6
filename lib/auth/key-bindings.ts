// What a bound API key may send: only its sources (the one it has fills in a
// log that names none), and no log_id under a prefix another key holds. A
// batch that breaks either is refused whole, each item named.
import { ApiError } from "@/lib/http/errors";
import type { FieldProblem } from "@/lib/http/validation";
import type { LogInput } from "@/lib/logs/schemas";
import type { ApiKeySummary, ReservedPrefix } from "./api-keys";

export type BoundKey = Pick<ApiKeySummary, "id" | "sources" | "id_prefixes">;

/** The inputs as this key may store them (a single bound source filled in); throws 403 or 400 naming each item. */
export function applyKeyBindings(key: BoundKey, inputs: LogInput[], reserved: ReservedPrefix[]): LogInput[] {
  const forbidden: FieldProblem[] = [];
  const invalid: FieldProblem[] = [];
  const othersPrefixes = reserved.filter((entry) => entry.keyId !== key.id);
  const allowed = new Set(key.sources);
  const bound = key.sources.length > 0;
  const only = key.sources.length === 1 ? key.sources[0] : undefined;
  const checked = inputs.map((input, index) => {
    if (bound && input.source === undefined && only === undefined) {
      invalid.push({ index, field: "source", message: `is required: this API key may send ${listed(key.sources)}` });
    } else if (bound && input.source !== undefined && !allowed.has(input.source)) {
      forbidden.push({ index, field: "source", message: `'${input.source}' is not a source this API key may send (it may send ${listed(key.sources)})` });
    }
    const held = input.log_id === undefined ? undefined : othersPrefixes.find((entry) => input.log_id!.startsWith(entry.prefix));
    if (held) invalid.push({ index, field: "log_id", message: `'${input.log_id}' starts with '${held.prefix}', which is reserved for another API key` });
    return only !== undefined && input.source === undefined ? { ...input, source: only } : input;
  });
  if (forbidden.length > 0) throw new ApiError("forbidden", `The request holds logs this API key may not send (${count(forbidden)}); nothing was stored.`, [...forbidden, ...invalid]);
  if (invalid.length > 0) throw new ApiError("validation_failed", `${count(invalid)} found; nothing was stored.`, invalid);
  return checked;
}

function listed(sources: string[]): string {
  return sources.map((source) => `'${source}'`).join(", ");
}

function count(problems: FieldProblem[]): string {
  return `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
}
