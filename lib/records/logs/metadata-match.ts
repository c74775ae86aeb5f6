// How a metadata filter compares, one rule for the MongoDB query and the JS
// predicate. The dotted key walks nested objects (`event.outcome` reads
// metadata.event.outcome). A string matches the same string; a number or a
// boolean matches its JSON text: 22 matches "22" (not "22.0" or "022"), 1.5
// matches "1.5", true matches "true". Anything else at the key (nothing, an
// object) matches no value, so an exclusion never removes it. Metadata holds
// no arrays (ingestion refuses them), where MongoDB would compare elements.

export type MetadataScalar = string | number | boolean;

/** The text that metadata filters compare with the value at `key`, if it is a string, number or boolean. */
export function metadataText(metadata: unknown, key: string): string | undefined {
  let value = metadata;
  for (const segment of key.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, segment))
      return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? JSON.stringify(value) : undefined;
}

/** The stored values whose metadataText is `text`, for $in and $nin: the string, and the number or boolean written as `text`. */
export function storedValuesOf(text: string): MetadataScalar[] {
  const values: MetadataScalar[] = [text];
  const number = Number(text);
  if (Number.isFinite(number) && JSON.stringify(number) === text) values.push(number);
  if (text === "true" || text === "false") values.push(text === "true");
  return values;
}
