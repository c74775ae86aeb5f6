// OTLP AnyValue as the values a log holds: plain JavaScript values, the text
// of a field, and metadata values (strings, finite numbers, booleans).
import type { AnyValue } from "./schemas";

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** The value as JSON would hold it: kvlists as objects, arrays as arrays, bytes as base64, int64 beyond 2^53 as text. */
export function plainValue(value: AnyValue | null | undefined): Plain {
  if (!value) return null;
  if (value.stringValue != null) return value.stringValue;
  if (value.boolValue != null) return value.boolValue;
  if (value.intValue != null) return integerValue(value.intValue);
  if (value.doubleValue != null) return doubleValue(value.doubleValue);
  if (value.bytesValue != null) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plainValue);
  // fromEntries defines own properties: a "__proto__" key stays a key.
  if (value.kvlistValue)
    return Object.fromEntries(
      (value.kvlistValue.values ?? []).map(({ key, value: inner }) => [key, plainValue(inner)]),
    );
  return null;
}

/** Whether the value is an array or a kvlist, which a field holds only as JSON text. */
export function isStructured(value: AnyValue | null | undefined): boolean {
  return Boolean(value?.arrayValue || value?.kvlistValue);
}

/** A scalar as text (numbers and booleans written out); undefined for an empty value, an array or a kvlist. */
export function scalarText(value: AnyValue | null | undefined): string | undefined {
  if (isStructured(value)) return undefined;
  const plain = plainValue(value);
  return plain === null ? undefined : String(plain);
}

/** The value as text: a string as it is, anything else as JSON. */
export function textOf(value: AnyValue | null | undefined): string | undefined {
  const plain = plainValue(value);
  if (plain === null) return undefined;
  return typeof plain === "string" ? plain : JSON.stringify(plain);
}

/** A metadata value: a string, number or boolean as it is, an array or kvlist as JSON text; undefined when empty. */
export function metadataValue(value: AnyValue | null | undefined): string | number | boolean | undefined {
  const plain = plainValue(value);
  if (plain === null) return undefined;
  return typeof plain === "object" ? JSON.stringify(plain) : plain;
}

function integerValue(value: string | number): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : String(value);
}

/** JSON has no NaN or Infinity: they stay text, as OTLP/JSON writes them. */
function doubleValue(value: number | string): number | string {
  return typeof value === "number" && Number.isFinite(value) ? value : String(value);
}
