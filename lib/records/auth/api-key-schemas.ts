import { z } from "zod";
import { isReservedSource } from "@/lib/records/logs/parse-batch";
import { LogSource } from "@/lib/records/logs/schemas";

export const API_KEY_SCOPES = ["ingest", "read"] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const ApiKeyName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
    "must be 1-64 letters, digits, spaces or . _ - and start with a letter or digit",
  );

/** "ingest,read" → ["ingest", "read"], deduplicated and in a fixed order. */
export const ApiKeyScopeList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  )
  .pipe(z.array(ApiKeyScope).min(1, "name at least one scope: ingest, read"))
  .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope)));

export const KEY_BINDING_LIMITS = { sources: 20, idPrefixes: 10, idPrefix: 64 } as const;

/** The only sources a key may send; Ledgerline's own is never one. */
export const BoundSource = LogSource.refine(
  (source) => !isReservedSource(source),
  "is reserved for Ledgerline's own audit log",
);

// It ends with a separator, so it names a namespace ("billing-"), never a
// bare start such as "a" that would take a share of every random id.
export const IdPrefix = z
  .string()
  .max(KEY_BINDING_LIMITS.idPrefix, `must be at most ${KEY_BINDING_LIMITS.idPrefix} characters`)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@-]*[._:@-]$/,
    "must start with a letter or digit, use only letters, digits and . _ : @ -, and end with one of . _ : @ - (such as billing-)",
  );

function distinct<T extends z.ZodType<string>>(item: T, max: number, what: string) {
  return z
    .array(item)
    .max(max, `must list at most ${max} ${what}`)
    .transform((values) => [...new Set(values)]);
}

export const ApiKeyCreate = z.object({
  name: ApiKeyName,
  scopes: z.array(ApiKeyScope).min(1).default(["ingest"]),
  /** Empty: any source. One: filled in for logs that name none. */
  sources: distinct(BoundSource, KEY_BINDING_LIMITS.sources, "sources").default([]),
  /** log_id prefixes only this key may use. */
  id_prefixes: distinct(IdPrefix, KEY_BINDING_LIMITS.idPrefixes, "prefixes").default([]),
});
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

/** POST /api/keys: unknown fields are refused by name. */
export const ApiKeyCreateBody = ApiKeyCreate.strict();
