import { z } from "zod";

export const API_KEY_SCOPES = ["ingest", "read"] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const ApiKeyName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, "must be 1-64 letters, digits, spaces or . _ - and start with a letter or digit");

/** "ingest,read" → ["ingest", "read"], deduplicated and in a fixed order. */
export const ApiKeyScopeList = z
  .string()
  .transform((value) => value.split(",").map((scope) => scope.trim()).filter(Boolean))
  .pipe(z.array(ApiKeyScope).min(1, "name at least one scope: ingest, read"))
  .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope)));

export const ApiKeyCreate = z.object({
  name: ApiKeyName,
  scopes: z.array(ApiKeyScope).min(1).default(["ingest"]),
});
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;
