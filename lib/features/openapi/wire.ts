import { z } from "zod";

/** A value as JSON.stringify writes it: a Date becomes its ISO string. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? Wire<Item>[]
    : T extends object
      ? { [Key in keyof T]: Wire<T[Key]> }
      : T;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * `schema`, once TypeScript has checked that it describes exactly what a `T`
 * is sent as, so that an answer's schema cannot drift from the code that
 * builds the answer: `answerSchema<IngestResult>()(z.object({ … }))`. A
 * mismatch asks for a second argument of the type the schema should have.
 */
export function answerSchema<T>() {
  return <Schema extends z.ZodType>(
    schema: Schema,
    ..._mismatch: Same<z.output<Schema>, Wire<T>> extends true ? [] : [expected: Wire<T>]
  ): Schema => schema;
}

/** A Date as JSON carries it (toISOString: milliseconds and Z). */
export const WireDate = z.iso.datetime({ precision: 3 });
