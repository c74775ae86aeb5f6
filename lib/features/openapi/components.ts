import type { z } from "zod";

const NAMED = new Map<string, z.ZodType>();

/** `schema`, listed in the document's components under `name` so that every use of it is a $ref. */
export function component<Schema extends z.ZodType>(name: string, schema: Schema): Schema {
  const named = NAMED.get(name);
  if (named !== undefined && named !== schema) throw new Error(`OpenAPI: two schemas are named ${name}`);
  NAMED.set(name, schema);
  return schema;
}

/** Every named schema, by name. */
export function namedComponents(): ReadonlyMap<string, z.ZodType> {
  return NAMED;
}
