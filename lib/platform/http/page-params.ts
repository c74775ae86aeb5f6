import type { z } from "zod";
import { describeIssues, type FieldProblem } from "./validation";

/**
 * A page's URL parameters read by a strict object schema, each given at most
 * once, an empty one counting as absent; or the problems, each named.
 */
export function parsePageParams<Schema extends z.ZodType>(
  schema: Schema,
  params: URLSearchParams,
): { values: z.output<Schema> } | { problems: FieldProblem[] } {
  const given: [string, string][] = [];
  const problems: FieldProblem[] = [];
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    if (values.length > 1) problems.push({ field: name, message: `is given ${values.length} times; give it once` });
    else if (values[0] !== "") given.push([name, values[0]!]);
  }
  // Own properties: __proto__ is a parameter the schema refuses by name.
  const result = schema.safeParse(Object.fromEntries(given));
  if (!result.success) problems.push(...describeIssues(result.error.issues));
  if (problems.length > 0 || !result.success) return { problems };
  return { values: result.data };
}
