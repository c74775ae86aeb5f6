// OTLP attributes as a log's metadata, which is flat, at most 32 keys of at
// most 64 characters without '.', values at most 1024 characters. Rules:
// - a key's dots become underscores (`log.file.name` → `log_file_name`);
// - a string longer than 1024 characters is cut to 1023 and ends in "…"; an
//   array or kvlist is stored as its JSON text, cut the same way;
// - entries are taken in order (the record's attributes, then the resource's)
//   and the first of two that flatten to one key wins;
// - a key still not allowed (too long, starting with '$', reserved), a repeat,
//   and everything past the limit of keys is left out, and then
//   `dropped_attributes` holds how many were (it takes one of the 32 keys).
import { LOG_LIMITS, MetadataKey } from "@/lib/records/logs/schemas";
import { metadataValue } from "./any-value";
import type { KeyValue } from "./schemas";

export const DROPPED_KEY = "dropped_attributes";
const ELLIPSIS = "…";

export type Metadata = Record<string, string | number | boolean>;

/** The metadata of these attributes, and the attribute each metadata key came from. */
export function flattenAttributes<T extends KeyValue>(
  attributes: T[],
): { metadata: Metadata; origins: Map<string, T> } {
  const entries: [string, string | number | boolean][] = [];
  const origins = new Map<string, T>();
  let dropped = 0;
  for (const attribute of attributes) {
    const flatKey = metadataKeyOf(attribute.key);
    const flatValue = metadataValue(attribute.value);
    if (flatValue === undefined) continue;
    if (flatKey === undefined || origins.has(flatKey)) {
      dropped++;
      continue;
    }
    origins.set(flatKey, attribute);
    entries.push([
      flatKey,
      typeof flatValue === "string" ? truncateText(flatValue, LOG_LIMITS.metadataValue) : flatValue,
    ]);
  }
  if (entries.length > LOG_LIMITS.metadataKeys || dropped > 0) {
    const kept = entries.slice(0, LOG_LIMITS.metadataKeys - 1);
    dropped += entries.length - kept.length;
    for (const [key] of entries.slice(kept.length)) origins.delete(key);
    kept.push([DROPPED_KEY, dropped]);
    return { metadata: Object.fromEntries(kept), origins };
  }
  return { metadata: Object.fromEntries(entries), origins };
}

/** The metadata key of an attribute key, or undefined when even flattened it is not one. */
export function metadataKeyOf(key: string): string | undefined {
  const flat = key.replaceAll(".", "_");
  return flat !== DROPPED_KEY && MetadataKey.safeParse(flat).success ? flat : undefined;
}

/** At most `max` characters, ending in "…" when cut, never between the halves of a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + ELLIPSIS;
}
