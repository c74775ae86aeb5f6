import { z } from "zod";
import { ApiError } from "./errors";
import { describeIssues } from "./validation";

/** The `[id]` segment of a route's path. */
export const IdPath = z.strictObject({ id: z.string().min(1) });

/** A route's path parameters parsed with `schema`; a path that does not fit it names nothing (404). */
export async function readPathParams<Schema extends z.ZodType>(
  params: Promise<Record<string, string | string[]>>,
  schema: Schema,
): Promise<z.output<Schema>> {
  const result = schema.safeParse(await params);
  if (!result.success) throw new ApiError("not_found", "Nothing has this path.", describeIssues(result.error.issues));
  return result.data;
}

/** A page's path segment decoded: Next.js may hand it over still percent-encoded, and a malformed escape is left as it is (then it names nothing). */
export function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
