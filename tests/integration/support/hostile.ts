// Hostile inputs for the property fuzz of the input routes (tests/integration/fuzz-*.test.ts),
// as fast-check arbitraries: text the routes must store and give back unchanged
// (printable, within the documented limits, full of HTML, spreadsheet formulas,
// separators, operator-like and prototype words, odd Unicode), values they must
// refuse (NUL, lone surrogates, too long, wrong types, numbers JSON cannot hold,
// operator and prototype keys), and raw bodies no JSON reader should take
// (invalid UTF-8, deep nesting). Plus the check every answer must pass.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ERROR_STATUS } from "@/lib/platform/http/errors";
import { LOG_LIMITS } from "@/lib/records/logs/schemas";
import { bsdTime } from "./auth-log";

/** Generated inputs per route. */
export const FUZZ_RUNS = 2_000;
const DEFAULT_SEED = 20_261_207;

/**
 * A fixed seed, so every run checks the same inputs (FUZZ_SEED=<n> explores
 * others); fast-check prints the seed and the shrunk counterexample on failure.
 */
export function fuzzParameters(numRuns = FUZZ_RUNS, seedOffset = 0, shrink = true): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(process.env.FUZZ_SEED);
  return { numRuns, seed: seed + seedOffset, endOnFailure: !shrink };
}

/**
 * Runs the property with fuzzParameters, printing how many runs took how long. `seedOffset` gives a
 * second share of one route's runs other inputs; `shrink: false` reports the first counterexample as
 * found, for properties whose every run costs several requests.
 */
export async function fuzz<T>(
  route: string,
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<void>,
  numRuns = FUZZ_RUNS,
  { seedOffset = 0, shrink = true } = {},
): Promise<void> {
  const started = performance.now();
  await fc.assert(fc.asyncProperty(arbitrary, property), fuzzParameters(numRuns, seedOffset, shrink));
  console.log(`fuzz ${route}: ${numRuns} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

let nextLogId = 0;
/** A log_id no other generated log has. */
export const newLogId = () => `fz-${process.pid.toString(36)}-${(nextLogId++).toString(36)}`;

export const HTML_PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  '"><svg onload=alert(1)>',
  "'><iframe srcdoc='<script>alert(1)</script>'>",
  '<a href="javascript:alert(1)">x</a>',
  "</td></tr><tr><td>",
  "&lt;b&gt;&amp;&#x3C;",
  "{{7*7}}${7*7}",
];
export const FORMULA_PAYLOADS = [
  "=1+1",
  "+1+1",
  "-1+1",
  "@SUM(1,1)",
  '=HYPERLINK("http://x","y")',
  "=cmd|' /C calc'!A0",
  "\t=1",
  "\r=1",
  "'=1",
  '"=1',
];
const SEPARATORS = [",", ";", "\t", "|", "\r", "\n", "\r\n", '"', "'"];
export const OPERATOR_WORDS = [
  "$where",
  "$ne",
  '{"$ne":null}',
  '{"$gt":""}',
  "$regex",
  ".*",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "a.b",
  "$",
  "[$ne]",
  "user[$ne]",
];
const ODD_UNICODE = [
  "😀",
  "e\u0301",
  "\u202E",
  "\u200B",
  "\u2028",
  "\u2029",
  "\uFEFF",
  "\uFFFD",
  "\uFFFF",
  "ß",
  "İı",
  "\u212A",
  "𝒳",
  "中文",
  "\u0085",
  "\u00A0",
  "\u0001",
  "\u001B[31m",
  "\u007F",
];
const ESCAPES = ["\\", "\\u0000", "%00", "%FF", "%ED%A0%80", "`", " ", "  "];

const FRAGMENTS = [...HTML_PAYLOADS, ...FORMULA_PAYLOADS, ...SEPARATORS, ...OPERATOR_WORDS, ...ODD_UNICODE, ...ESCAPES];

/** One piece of hostile text: a known payload, or any well-formed characters but NUL. */
export const fragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }).map((text) => text.replaceAll("\u0000", "")) },
);

/** Text a log field takes: no NUL, well-formed, at most `max` UTF-16 units, and not blank when `required`. */
export function isStorableText(text: string, max: number, required: boolean): boolean {
  return (
    text.length <= max &&
    !text.includes("\u0000") &&
    !LONE_SURROGATE.test(text) &&
    (!required || text.trim().length > 0)
  );
}

// With the u flag a surrogate pair is one code point, so only a lone half is in \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

/** Printable hostile text a field must store as sent: pieces joined, sometimes padded to exactly `max`. */
export function hostileText(max: number, { required = true } = {}): fc.Arbitrary<string> {
  const joined = fc.array(fragment, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(""));
  const atLimit = fc
    .tuple(joined, fc.constantFrom("=", "<", "x", ";"))
    .map(([text, fill]) => text.slice(0, max).padEnd(max, fill));
  return fc
    .oneof({ weight: 6, arbitrary: joined }, { weight: 1, arbitrary: atLimit })
    .filter((text) => isStorableText(text, max, required));
}

/** Text a field must refuse: NUL or a lone surrogate somewhere, one unit over `max`, or blank when required. */
export function unstorableText(max: number, { required = true } = {}): fc.Arbitrary<string> {
  const at = (text: string, insert: string, position: number) =>
    text.slice(0, position) + insert + text.slice(position);
  const around = fc.tuple(fc.string({ maxLength: 8 }), fc.nat({ max: 8 }));
  const options = [
    around.map(([text, position]) => at(text, "\u0000", position)),
    fc
      .tuple(around, fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDFFF\uD800"))
      .map(([[text, position], lone]) => at(text, lone, position)),
    fc.constantFrom("=", "<", "x").map((fill) => fill.repeat(max + 1)),
  ];
  if (required) options.push(fc.constantFrom("", " ", "\t\r\n", "\u00A0\u2028\uFEFF"));
  return fc.oneof(...options);
}

export const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/** A metadata key ingestion takes: 1 to 64 units, no '.', no leading '$', not reserved. */
export const metadataKey: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      "toString",
      "hasOwnProperty",
      "valueOf",
      "a$b",
      "_id",
      "user",
      "message",
      "<b>",
      "=1",
      "@x",
      "-1",
      "+1",
      "1",
      "0",
      "length",
    ),
    fragment,
  )
  .filter(
    (key) =>
      key.length > 0 &&
      key.length <= LOG_LIMITS.metadataKey &&
      !key.includes(".") &&
      !key.startsWith("$") &&
      !RESERVED_KEYS.includes(key) &&
      key !== "legacy_hash" &&
      isStorableText(key, LOG_LIMITS.metadataKey, false),
  );

/** Keys metadata refuses. */
export const badMetadataKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "$where",
    "$ne",
    "$gt",
    "__proto__",
    "constructor",
    "prototype",
    "a.b",
    ".",
    "",
    "a\u0000b",
    "\uD800",
    "legacy_hash",
  ),
  fc.constantFrom("k", "=", "<").map((fill) => fill.repeat(LOG_LIMITS.metadataKey + 1)),
);

/** Numbers a JSON text can carry and JavaScript reads as finite, including the awkward ones. */
export const finiteNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    2 ** 64,
    -(2 ** 64),
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
    -0,
    0,
    0.1,
    1e21,
    1e-7,
    2 ** 31,
    -(2 ** 31) - 1,
    123456789012345680000,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

export const metadataValue: fc.Arbitrary<string | number | boolean> = fc.oneof(
  { weight: 4, arbitrary: hostileText(LOG_LIMITS.metadataValue, { required: false }) },
  { weight: 2, arbitrary: finiteNumber },
  { weight: 1, arbitrary: fc.boolean() },
);

export const metadata = fc.dictionary(metadataKey, metadataValue, { minKeys: 1, maxKeys: LOG_LIMITS.metadataKeys });

/** JSON text put into a body as it is: numbers JavaScript cannot hold, nesting built as text. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson pieces and own "__proto__" keys; strings as JSON.stringify writes them (lone surrogates escaped). */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, inner]) => `${JSON.stringify(key)}:${jsonText(inner)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** An object with these own entries, "__proto__" included as a key rather than as the prototype. */
export function withOwnKeys(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/** `depth` levels of arrays or objects around a value, as text. */
export function nestedJson(depth: number, kind: "array" | "object", inner = "1"): RawJson {
  return new RawJson(
    kind === "array"
      ? `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`
      : `${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}`,
  );
}

export const deepNesting: fc.Arbitrary<RawJson> = fc
  .tuple(fc.constantFrom(1_000, 5_000, 20_000, 100_000), fc.constantFrom("array" as const, "object" as const))
  .map(([depth, kind]) => nestedJson(depth, kind));

/** Values no log field takes: numbers JSON.parse makes infinite, operator objects, prototype keys, arrays, deep nesting. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    new RawJson("1e400"),
    new RawJson("-1e400"),
    new RawJson("18446744073709551616"),
    new RawJson("-0"),
    null,
    true,
    0,
    [],
  ),
  fc.constantFrom(
    withOwnKeys([["$ne", null]]),
    withOwnKeys([["$where", "sleep(1000)"]]),
    withOwnKeys([["$gt", ""]]),
    withOwnKeys([["__proto__", { polluted: true }]]),
    withOwnKeys([["constructor", { prototype: { polluted: true } }]]),
  ),
  fc.array(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  deepNesting,
);

/** Byte runs that are not UTF-8: stray continuation bytes, overlong forms (of NUL too), encoded surrogates, cut sequences, bytes never used. */
export const invalidUtf8: fc.Arbitrary<Uint8Array> = fc
  .constantFrom(
    [0xff],
    [0xfe],
    [0x80],
    [0xc0, 0x80],
    [0xc1, 0xbf],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xed, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
    [0xf0, 0x9f, 0x98],
  )
  .map((bytes) => Uint8Array.from(bytes));

/** Sometimes (one run in `freq`) bytes that are not UTF-8 and where to put them. */
export const notUtf8 = (freq: number) =>
  fc.option(fc.tuple(invalidUtf8, fc.double({ min: 0, max: 1, noNaN: true })), { freq });

/** `text` as UTF-8 with `bad` bytes put in at a character boundary near `at` (a fraction of the length). */
export function withInvalidBytes(text: string, bad: Uint8Array, at: number): Uint8Array<ArrayBuffer> {
  const characters = [...text];
  const cut = Math.floor(characters.length * at);
  const head = Buffer.from(characters.slice(0, cut).join(""), "utf8");
  const tail = Buffer.from(characters.slice(cut).join(""), "utf8");
  return new Uint8Array(Buffer.concat([head, bad, tail]));
}

/** An OK answer, or a 4xx with the `{error: {code, message, details}}` envelope and the status its code names. */
export function assertAnswer(response: { status: number; text: string; body: unknown }, context = ""): void {
  const where = `${context} ${response.status} ${response.text.slice(0, 500)}`;
  assert.ok(
    (response.status >= 200 && response.status < 300) || (response.status >= 400 && response.status < 500),
    `never 5xx:${where}`,
  );
  if (response.status < 400) return;
  const error = (response.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  assert.ok(
    error && typeof error.code === "string" && Object.hasOwn(ERROR_STATUS, error.code),
    `error envelope with a known code:${where}`,
  );
  assert.equal(ERROR_STATUS[error.code as keyof typeof ERROR_STATUS], response.status, `the code's status:${where}`);
  assert.ok(typeof error.message === "string" && error.message.length > 0, `a message:${where}`);
  assert.ok("details" in error, `details:${where}`);
}

/** A log's value as JSON gives it back (-0 becomes 0), for comparing numbers sent with numbers answered. */
export function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** ISO 8601 text for an instant within [fromMs, toMs] (a minute's margin each side): any offset or Z, to the minute, second or up to nine fraction digits. */
export function timestampIn(fromMs: number, toMs: number): fc.Arbitrary<string> {
  return fc
    .record({
      ms: fc.integer({ min: fromMs + 60_000, max: toMs - 60_000 }),
      offset: fc.option(fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
      precision: fc.constantFrom("minute", "second", "fraction"),
      digits: fc.stringMatching(/^\d{0,6}$/),
    })
    .map(({ ms, offset, precision, digits }) => {
      const local = new Date(ms + (offset ?? 0) * 60_000).toISOString();
      let text = local.slice(0, 16);
      if (precision !== "minute") text += local.slice(16, 19);
      if (precision === "fraction") text += local.slice(19, 23) + digits;
      if (offset === null) return `${text}Z`;
      return `${text}${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    });
}

/** Timestamps ingestion refuses: days a month does not have, fields out of range, no offset, other layouts, too far ahead. */
export const badTimestamp: fc.Arbitrary<string> = fc.constantFrom(
  "2026-02-30T10:00:00Z",
  "2025-02-29T10:00:00Z",
  "2026-04-31T00:00:00+02:00",
  "2026-13-01T00:00:00Z",
  "2026-00-10T00:00:00Z",
  "2026-01-00T00:00:00Z",
  "2026-01-32T00:00:00Z",
  "2026-01-01T25:00:00Z",
  "2026-01-01T10:60:00Z",
  "2026-01-01T10:00:61Z",
  "2026-01-01T10:00:00",
  "2026-01-01 10:00:00Z",
  "2026-01-01T10:00:00+24:00",
  "+002026-01-01T00:00:00Z",
  "2026-01-01T10:00:00.1234567890Z",
  "9999-12-31T23:59:59Z",
  "1767225600000",
  "",
  "now",
  "2026-01-01T10:00:00Z<script>",
);

const YEAR_1_MS = Date.UTC(1, 0, 1);
/** Any time from year 1 to an hour ago (later ones may be ahead of the server's clock). */
export const anyPastTime = timestampIn(YEAR_1_MS, Date.now() - 3_600_000);

export const ip: fc.Arbitrary<string> = fc.oneof(fc.ipV4(), fc.ipV6());

export const badIp: fc.Arbitrary<string> = fc.constantFrom(
  "999.1.1.1",
  "10.0.0.1/24",
  "::g",
  "",
  "1.2.3.4 ",
  " 1.2.3.4",
  "01.2.3.4",
  "fe80::1%eth0",
  "[::1]",
  "localhost",
  "1.2.3",
  "<img src=x onerror=alert(1)>",
  "1.2.3.4\u0000",
);

export const badLogId: fc.Arbitrary<string> = fc.constantFrom(
  "",
  "-a",
  "a b",
  "a/b",
  "$where",
  "__proto__",
  "a".repeat(LOG_LIMITS.logId + 1),
  "é",
  "a\u0000",
  "<img>",
  "a=1",
  "a\nb",
  "\uD800",
);

/** Status spellings ingestion takes, and what each is stored as. */
export const STATUS_SPELLINGS: Record<string, "success" | "failed"> = {
  success: "success",
  failed: "failed",
  failure: "failed",
  fail: "failed",
  Success: "success",
  " FAILED ": "failed",
  Fail: "failed",
};
export const badStatus: fc.Arbitrary<string> = fc.constantFrom(
  "",
  "ok",
  "succes",
  "success\u0000",
  "SUCCESSFUL",
  "true",
  "failed\uD800",
  "<b>failed</b>",
);

export type LogFields = {
  log_id?: string;
  timestamp?: string;
  ip?: string;
  user: string;
  action: string;
  status: string;
  source?: string;
  message?: string;
  metadata?: Record<string, string | number | boolean>;
};

const source = hostileText(LOG_LIMITS.source).filter((text) => text.toLowerCase() !== "ledgerline");

/** A log POST /api/logs must store as sent (no log_id: the caller gives one or leaves it to the server). */
export function validLog(timestamp: fc.Arbitrary<string>): fc.Arbitrary<LogFields> {
  return fc.record(
    {
      timestamp,
      ip,
      user: hostileText(LOG_LIMITS.user),
      action: hostileText(LOG_LIMITS.action),
      status: fc.constantFrom(...Object.keys(STATUS_SPELLINGS)),
      source,
      message: hostileText(LOG_LIMITS.message, { required: false }),
      metadata,
    },
    { requiredKeys: ["user", "action", "status"] },
  );
}

/** What a refused log breaks: the field each problem must name. */
export type BrokenLog = { log: Record<string, unknown>; field: string };

const TEXT_FIELDS = [
  ["user", LOG_LIMITS.user, true],
  ["action", LOG_LIMITS.action, true],
  ["source", LOG_LIMITS.source, true],
  ["message", LOG_LIMITS.message, false],
] as const;
const FIELDS = ["log_id", "timestamp", "ip", "user", "action", "status", "source", "message", "metadata"];
const UNKNOWN_FIELDS = [
  "$where",
  "$ne",
  "__proto__",
  "constructor",
  "toString",
  "mac",
  "sequence",
  "ingested_by",
  "key_id",
  "_id",
  "time",
  "received_at",
  "",
  "user.name",
];

/** Values no metadata entry takes: numbers JSON makes infinite, objects, arrays, null, nesting. */
const badMetadataValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(new RawJson("1e400"), new RawJson("-1e400"), null, withOwnKeys([["$ne", 1]]), [], ["a"]),
  deepNesting,
  unstorableText(LOG_LIMITS.metadataValue, { required: false }),
);

/** One way to break a valid log, as a change to its fields. */
const breakage: fc.Arbitrary<(log: Record<string, unknown>) => BrokenLog> = fc.oneof(
  fc.constantFrom(...TEXT_FIELDS).chain(([field, max, required]) =>
    unstorableText(max, { required }).map((text) => (log: Record<string, unknown>) => ({
      log: { ...log, [field]: text },
      field,
    })),
  ),
  fc
    .tuple(fc.constantFrom(...FIELDS), wrongTypeValue)
    .map(([field, value]) => (log: Record<string, unknown>) => ({ log: { ...log, [field]: value }, field })),
  fc
    .tuple(fc.constantFrom(...UNKNOWN_FIELDS), fc.jsonValue({ maxDepth: 2 }))
    .map(([field, value]) => (log: Record<string, unknown>) => ({
      log: withOwnKeys([...Object.entries(log), [field, value]]),
      field,
    })),
  fc.tuple(badMetadataKey, metadataValue).map(([key, value]) => (log: Record<string, unknown>) => ({
    log: { ...log, metadata: withOwnKeys([...Object.entries((log.metadata as object) ?? {}), [key, value]]) },
    field: "metadata",
  })),
  fc.tuple(metadataKey, badMetadataValue).map(([key, value]) => (log: Record<string, unknown>) => ({
    log: { ...log, metadata: withOwnKeys([[key, value]]) },
    field: "metadata",
  })),
  fc.constant((log: Record<string, unknown>) => ({
    log: {
      ...log,
      metadata: Object.fromEntries(
        Array.from({ length: LOG_LIMITS.metadataKeys + 1 }, (_, index) => [`k${index}`, index]),
      ),
    },
    field: "metadata",
  })),
  badStatus.map((status) => (log: Record<string, unknown>) => ({ log: { ...log, status }, field: "status" })),
  badTimestamp.map((timestamp) => (log: Record<string, unknown>) => ({
    log: { ...log, timestamp },
    field: "timestamp",
  })),
  badIp.map((value) => (log: Record<string, unknown>) => ({ log: { ...log, ip: value }, field: "ip" })),
  badLogId.map((logId) => (log: Record<string, unknown>) => ({ log: { ...log, log_id: logId }, field: "log_id" })),
  fc
    .constantFrom("ledgerline", "LedgerLine", "LEDGERLINE")
    .map((name) => (log: Record<string, unknown>) => ({ log: { ...log, source: name }, field: "source" })),
  fc.constantFrom("user", "action", "status").map((field) => (log: Record<string, unknown>) => ({
    log: Object.fromEntries(Object.entries(log).filter(([name]) => name !== field)),
    field,
  })),
);

/** A log POST /api/logs must refuse, and the field it must name. */
export function brokenLog(timestamp: fc.Arbitrary<string>): fc.Arbitrary<BrokenLog> {
  return fc.tuple(validLog(timestamp), breakage).map(([log, broken]) => broken(log));
}

/**
 * An sshd line of auth.log from 13 hours to three days ago (its BSD time read in any zone is still past),
 * its host and user hostile (without white space).
 */
export function sshdLine(): fc.Arbitrary<string> {
  const token = hostileText(40).map((text) => text.replace(/\s/g, "_"));
  return fc
    .record({
      ago: fc.integer({ min: 13 * 3_600, max: 3 * 86_400 }),
      host: token,
      user: token,
      ip,
      port: fc.integer({ min: 1, max: 65535 }),
      verb: fc.constantFrom(
        "Failed password for",
        "Accepted password for",
        "Failed password for invalid user",
        "Invalid user",
      ),
    })
    .map(
      ({ ago, host, user, ip: address, port, verb }) =>
        `${bsdTime(new Date(Date.now() - ago * 1000))} ${host} sshd[${port}]: ${verb} ${user} from ${address} port ${port}${verb === "Invalid user" ? "" : " ssh2"}`,
    );
}
