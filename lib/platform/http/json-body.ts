import { z } from "zod";
import { parseJsonText, readBodyText } from "./body";
import { describeIssues, validationError } from "./validation";

const MAX_JSON_BODY_BYTES = 64 * 1024;

/** For a POST that takes no input: `{}`. */
export const EmptyBody = z.strictObject({});

/** A small JSON request body parsed with a schema; 400 naming every bad field. */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  { maxBytes = MAX_JSON_BODY_BYTES } = {},
): Promise<z.infer<Schema>> {
  const result = schema.safeParse(parseJsonText(await readBodyText(request, maxBytes)));
  if (!result.success) throw validationError(describeIssues(result.error.issues));
  return result.data;
}
