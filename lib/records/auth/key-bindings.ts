// What a bound API key may send: only its sources (the one it has fills in a
// log that names none), and no log_id under a prefix another key holds.
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import type { LogInput } from "@/lib/records/logs/schemas";
import type { ApiKeySummary, ReservedPrefix } from "./api-keys";

export type BoundKey = Pick<ApiKeySummary, "id" | "sources" | "id_prefixes">;

/** A log the key may not send: 403 for a source outside its binding, 400 otherwise. */
export type BindingProblem = FieldProblem & { index: number; status: 400 | 403 };

/** The inputs as this key may store them (a single bound source filled in), and each item it may not send. */
export function checkKeyBindings(
  key: BoundKey,
  inputs: LogInput[],
  reserved: ReservedPrefix[],
): { inputs: LogInput[]; problems: BindingProblem[] } {
  const problems: BindingProblem[] = [];
  const othersPrefixes = reserved.filter((entry) => entry.keyId !== key.id);
  const allowed = new Set(key.sources);
  const bound = key.sources.length > 0;
  const only = key.sources.length === 1 ? key.sources[0] : undefined;
  const checked = inputs.map((input, index) => {
    if (bound && input.source === undefined && only === undefined) {
      problems.push({
        index,
        status: 400,
        field: "source",
        message: `is required: this API key may send ${listed(key.sources)}`,
      });
    } else if (bound && input.source !== undefined && !allowed.has(input.source)) {
      problems.push({
        index,
        status: 403,
        field: "source",
        message: `'${input.source}' is not a source this API key may send (it may send ${listed(key.sources)})`,
      });
    }
    const held =
      input.log_id === undefined ? undefined : othersPrefixes.find((entry) => input.log_id!.startsWith(entry.prefix));
    if (held)
      problems.push({
        index,
        status: 400,
        field: "log_id",
        message: `'${input.log_id}' starts with '${held.prefix}', which is reserved for another API key`,
      });
    return only !== undefined && input.source === undefined ? { ...input, source: only } : input;
  });
  return { inputs: checked, problems };
}

/** The same for a batch that is stored whole or not at all: throws 403 (any source refused) or 400, naming each item. */
export function applyKeyBindings(key: BoundKey, inputs: LogInput[], reserved: ReservedPrefix[]): LogInput[] {
  const { inputs: checked, problems } = checkKeyBindings(key, inputs, reserved);
  if (problems.length === 0) return checked;
  const details = problems.map(({ status: _status, ...problem }) => problem);
  const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
  if (problems.some((problem) => problem.status === 403)) {
    throw new ApiError(
      "forbidden",
      `The request holds logs this API key may not send (${count}); nothing was stored.`,
      details,
    );
  }
  throw new ApiError("validation_failed", `${count} found; nothing was stored.`, details);
}

function listed(sources: string[]): string {
  return sources.map((source) => `'${source}'`).join(", ");
}
