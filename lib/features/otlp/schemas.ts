// The OTLP/JSON shape of an export of logs (ExportLogsServiceRequest), and
// what binary protobuf decodes to. Unknown fields are ignored, as the OTLP
// specification requires of receivers; null stands for a field left unset.
// The envelope is checked for the whole request; each resource and each log
// record on its own, so that one bad record is rejected alone.
import { z } from "zod";

/** int64 in OTLP/JSON: a decimal string, or a number. */
const Int64 = z.union(
  [z.string().regex(/^-?\d{1,19}$/, "must be a decimal integer"), z.number().int()],
  "must be an integer",
);
/** fixed64 nanoseconds since the Unix epoch. */
const UnixNano = z.union(
  [z.string().regex(/^\d{1,20}$/, "must be a decimal integer"), z.number().int().nonnegative()],
  "must be nanoseconds since the Unix epoch",
);
const Double = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])], "must be a number");

export type AnyValue = {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: string | number | null;
  doubleValue?: number | string | null;
  arrayValue?: { values?: AnyValue[] | null } | null;
  kvlistValue?: { values?: KeyValue[] | null } | null;
  bytesValue?: string | null;
};
export type KeyValue = { key: string; value?: AnyValue | null };

export const AnyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().nullish(),
    boolValue: z.boolean().nullish(),
    intValue: Int64.nullish(),
    doubleValue: Double.nullish(),
    arrayValue: z.object({ values: z.array(AnyValue).nullish() }).nullish(),
    kvlistValue: z.object({ values: z.array(KeyValue).nullish() }).nullish(),
    bytesValue: z.base64("must be base64").nullish(),
  }),
);

export const KeyValue: z.ZodType<KeyValue> = z.lazy(() => z.object({ key: z.string(), value: AnyValue.nullish() }));

const Attributes = z.array(KeyValue).nullish();

export const Resource = z.object({ attributes: Attributes }).nullish();

export const LogRecord = z.object({
  timeUnixNano: UnixNano.nullish(),
  observedTimeUnixNano: UnixNano.nullish(),
  severityText: z.string().nullish(),
  eventName: z.string().nullish(),
  body: AnyValue.nullish(),
  attributes: Attributes,
});
export type LogRecord = z.infer<typeof LogRecord>;

/** The request down to each resource and record, which are checked one by one. */
export const ExportLogsRequest = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: z.unknown(),
        scopeLogs: z.array(z.object({ logRecords: z.array(z.unknown()).nullish() })).nullish(),
      }),
    )
    .nullish(),
});
