// What the query-string fuzz files (tests/integration/fuzz-read-*.test.ts) share:
// a store of logs whose users, actions, sources and metadata are hostile
// values (operator-like text, HTML, formulas, prototype words), generated log
// filter parameters drawn mostly from those values, and the checks every
// answer must pass: a 400 names only parameters the query has, and every log
// a 200 gives matches the filter as the parameters say, so no value widens
// the result.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Db } from "mongodb";
import Papa from "papaparse";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { CSV_BOM, CSV_COLUMNS, restoreCsvCell } from "@/lib/records/logs/csv";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { ipKey, ipKeyRange } from "@/lib/foundation/net/ip";
import {
  assertAnswer,
  fragment,
  hostileText,
  OPERATOR_WORDS,
  HTML_PAYLOADS,
  FORMULA_PAYLOADS,
  timestampIn,
  unstorableText,
} from "./hostile";
import { call } from "./http";

const HOUR_MS = 3_600_000;

/** Values the seeded logs hold, and so the values most generated filters ask for. */
function pool(max: number, seed: number): string[] {
  const fixed = [
    '{"$ne":null}',
    "$where",
    "__proto__",
    "constructor",
    "alice",
    "Alice",
    "İı",
    "ß",
    ".*",
    "a|b",
    HTML_PAYLOADS[0]!,
    FORMULA_PAYLOADS[0]!,
    OPERATOR_WORDS[3]!,
  ];
  const generated = fc.sample(hostileText(Math.min(max, 40)), { seed, numRuns: 8 });
  return [...new Set([...fixed, ...generated])].filter((value) => value.length <= max);
}

export const USERS = pool(256, 1);
export const ACTIONS = pool(128, 2);
export const SOURCES = pool(256, 3).filter((value) => value.toLowerCase() !== "ledgerline");
export const IPS = ["10.0.3.4", "10.0.3.200", "10.0.4.1", "2001:db8::7", "203.0.113.66"];
export const META_KEYS = ["note", "k1", "toString", "_id", "a-b", "port"];
export const META_VALUES: (string | number | boolean)[] = [
  ...pool(1024, 4).slice(0, 10),
  22,
  1.5,
  true,
  0,
  "22",
  "true",
];
export const MESSAGES = pool(8192, 5);
export const BURST_IP = "203.0.113.66";

/** `count` seeded logs: hostile values spread over the last two days, and a burst of failures from one address. */
export function seedInputs(now: number, count = 90): LogInput[] {
  const pick = <T>(values: T[], index: number, stride: number) => values[(index * stride) % values.length]!;
  const logs: LogInput[] = Array.from({ length: count }, (_, index) => ({
    log_id: `seed-${index}`,
    timestamp: new Date(now - 2 * 86_400_000 + index * Math.floor((45 * 3_600_000) / count)).toISOString(),
    user: pick(USERS, index, 7),
    action: pick(ACTIONS, index, 5),
    status: index % 3 === 0 ? "failed" : "success",
    ...(index % 4 !== 0 && { ip: pick(IPS, index, 3) }),
    ...(index % 5 !== 0 && { source: pick(SOURCES, index, 11) }),
    ...(index % 2 === 0 && { message: pick(MESSAGES, index, 3) }),
    ...(index % 3 !== 1 && {
      metadata: {
        [pick(META_KEYS, index, 1)]: pick(META_VALUES, index, 7),
        [pick(META_KEYS, index + 2, 1)]: pick(META_VALUES, index, 5),
      },
    }),
  }));
  const burst: LogInput[] = Array.from({ length: 12 }, (_, index) => ({
    log_id: `burst-${index}`,
    timestamp: new Date(now - 3 * HOUR_MS + index * 2_000).toISOString(),
    user: "root",
    action: "ssh_login",
    status: "failed",
    ip: BURST_IP,
    source: "bastion",
  }));
  return [...logs, ...burst];
}

export async function seedLogs(db: Db, now: number, count?: number): Promise<void> {
  await ingestLogs(db, seedInputs(now, count), {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:fuzz",
  });
}

const LIST_FIELDS = ["status", "ip", "user", "action", "source", "ingested_by"] as const;
type ListField = (typeof LIST_FIELDS)[number];
const LIST_VALUES: Record<ListField, fc.Arbitrary<string>> = {
  status: fc.constantFrom("success", "failed", "failure", "SUCCESS", ""),
  ip: fc.constantFrom(
    ...IPS,
    "10.0.3.0/24",
    "10.0.0.0/8",
    "::/0",
    "0.0.0.0/0",
    "2001:db8::/32",
    "10.0.3.0/33",
    "999.1.1.1",
    "10.0.3.4/24x",
  ),
  user: fc.constantFrom(...USERS),
  action: fc.constantFrom(...ACTIONS),
  source: fc.constantFrom(...SOURCES),
  ingested_by: fc.constantFrom("cli:fuzz", "ledgerline", "key:", '{"$ne":null}'),
};

/** What a filter value may be besides the seeded ones: any hostile text, or text no parameter takes. */
const strayValue = fc.oneof(
  hostileText(300, { required: false }),
  unstorableText(300, { required: false }),
  fc.constantFrom(...OPERATOR_WORDS),
);
const seededOrStray = (seeded: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: seeded }, { weight: 1, arbitrary: strayValue });

const timeText = (now: number) =>
  fc.oneof(
    timestampIn(now - 3 * 86_400_000, now + 3_600_000),
    fc.constantFrom("2026-02-30T00:00:00Z", "yesterday", "1e400", "-1", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
  );

/** One log filter parameter: a known one with a seeded, hostile or wrong value, a metadata one, or one no route knows. */
export function logFilterPair(now: number): fc.Arbitrary<[string, string]> {
  const list = fc
    .tuple(fc.constantFrom(...LIST_FIELDS), fc.boolean())
    .chain(([field, excluded]) =>
      seededOrStray(LIST_VALUES[field]).map((value): [string, string] => [
        `${excluded ? "exclude_" : ""}${field}`,
        value,
      ]),
    );
  const metaKey = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...META_KEYS) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "$where",
        "__proto__",
        "constructor",
        "a..b",
        "",
        "a.$ne",
        "x".repeat(129),
        "note.sub",
        "<b>",
      ),
    },
  );
  const meta = fc
    .tuple(fc.boolean(), metaKey, seededOrStray(fc.constantFrom(...META_VALUES.map(String))))
    .map(([excluded, key, value]): [string, string] => [`${excluded ? "exclude_" : ""}meta.${key}`, value]);
  const single = fc.oneof(
    timeText(now).map((value): [string, string] => ["from", value]),
    timeText(now).map((value): [string, string] => ["to", value]),
    fc
      .constantFrom("15m", "1h", "24h", "7d", "3660d", "3661d", "0h", "1e400h", "-1h", "99999999d", "1H", "")
      .map((value): [string, string] => ["range", value]),
    seededOrStray(
      fc.constantFrom(
        ...USERS,
        ...ACTIONS,
        ...MESSAGES.map((message) => message.slice(0, 20)),
        "(",
        "[",
        "\\",
        "*",
        "$",
        "^",
      ),
    ).map((value): [string, string] => ["q", value]),
    fc
      .constantFrom("UTC", "Europe/Paris", "europe/paris", "Mars/Base", "../etc", "x".repeat(65), "")
      .map((value): [string, string] => ["tz", value]),
    fc
      .constantFrom("1", "2", "50", "500", "501", "0", "-1", "1.5", "1e400", "18446744073709551616", " 5", "0x10", "")
      .map((value): [string, string] => ["limit", value]),
    fc.constantFrom("asc", "desc", "ASC", "random", "").map((value): [string, string] => ["sort", value]),
    fc.constantFrom("csv", "ndjson", "xlsx", "json", "CSV", "").map((value): [string, string] => ["format", value]),
    fc.tuple(fc.constantFrom("cursor", "before"), fc.oneof(fc.base64String({ maxLength: 60 }), strayValue)),
  );
  const unknown = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          "user[$ne]",
          "$where",
          "__proto__",
          "constructor",
          "toString",
          "hasOwnProperty",
          "",
          "user.name",
          "meta",
          "exclude_",
          "exclude_meta",
        ),
        fragment,
      ),
      fc.constantFrom("1", '{"$ne":null}', ""),
    )
    .map(([name, value]): [string, string] => [name, value]);
  return fc.oneof(
    { weight: 6, arbitrary: list },
    { weight: 2, arbitrary: meta },
    { weight: 4, arbitrary: single },
    { weight: 1, arbitrary: unknown },
  );
}

/** A query string of such pairs; now and then with raw bytes URLs may carry that are not UTF-8 or NUL. */
export function queryString(pair: fc.Arbitrary<[string, string]>): fc.Arbitrary<string> {
  const encoded = fc.array(pair, { maxLength: 5 }).map((pairs) => new URLSearchParams(pairs).toString());
  const raw = fc.tuple(
    encoded,
    fc.constantFrom(
      "user=%FF",
      "user=%ED%A0%80",
      "q=%00",
      "user=%zz",
      "user=%",
      "%FF=1",
      "meta.note=%C0%80",
      "q=a%2",
      "user=a&user=a",
      "user=" + "%3C".repeat(100),
    ),
  );
  return fc.oneof(
    { weight: 9, arbitrary: encoded },
    { weight: 1, arbitrary: raw.map(([query, extra]) => (query ? `${query}&${extra}` : extra)) },
  );
}

type GetHandler = Parameters<typeof call>[0];

/**
 * GET `path?query` with the key, as every query-string fuzz sends it: any answer passes assertAnswer,
 * one other than 200 is a 400 naming only parameters the query has (then undefined), a 200 is given
 * back with the parameters as the route read them.
 */
export async function getWithQuery(handler: GetHandler, path: string, query: string, key: string) {
  const url = `${path}?${query}`;
  const params = new URL(url, "http://localhost").searchParams;
  const answer = await call(handler, "GET", url, { key });
  assertAnswer(answer, url);
  if (answer.status === 200) return { url, params, answer };
  assert.equal(answer.status, 400, answer.text.slice(0, 300));
  expectNamesParameters(answer, params);
  return undefined;
}

/** A 400 names only parameters the query has. */
function expectNamesParameters(
  answer: { status: number; text: string; body: { error?: { details?: unknown } } },
  params: URLSearchParams,
): void {
  const details = answer.body.error?.details;
  assert.ok(Array.isArray(details) && details.length > 0, `a 400 lists its problems: ${answer.text.slice(0, 300)}`);
  const names = new Set(params.keys());
  for (const problem of details as { field: string }[])
    assert.ok(
      names.has(problem.field),
      `names a parameter of the query (${[...names].join(", ")}): ${answer.text.slice(0, 500)}`,
    );
}

/** A log as the answers give it back, with its time; what the filter reads of it. */
export type FilteredLog = {
  time: number;
  ip?: string;
  user: string;
  action: string;
  status: string;
  source?: string;
  ingested_by?: string;
  message?: string;
  metadata?: Record<string, unknown>;
};

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

function metadataText(metadata: Record<string, unknown> | undefined, key: string): string | undefined {
  let value: unknown = metadata;
  for (const segment of key.split(".")) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? JSON.stringify(value)
      : undefined;
}

function inRange(address: string | undefined, range: string): boolean {
  if (address === undefined) return false;
  const { low, high } = ipKeyRange(range);
  const key = ipKey(address);
  return key >= low && key <= high;
}

const RANGE_UNIT_MS: Record<string, number> = { m: 60_000, h: HOUR_MS, d: 86_400_000 };

/**
 * Why a log a 200 gave does not match the parameters (undefined when it does), read here
 * from the parameters alone: lists hold, exclusions hold, the time is in the window, q is
 * a literal case-insensitive part of message, user or action.
 */
export function mismatch(log: FilteredLog, params: URLSearchParams, askedAt: number): string | undefined {
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name).filter((value) => value !== "");
    if (values.length === 0) continue;
    const excluded = name.startsWith("exclude_");
    const field = excluded ? name.slice("exclude_".length) : name;
    let found: boolean | undefined;
    if (field === "ip") found = log.ip === undefined ? undefined : values.some((range) => inRange(log.ip, range));
    else if ((LIST_FIELDS as readonly string[]).includes(field)) {
      const value = log[field as Exclude<ListField, "ip">];
      found = value === undefined ? undefined : values.includes(value);
    } else if (field.startsWith("meta.")) {
      const text = metadataText(log.metadata, field.slice("meta.".length));
      found = text === undefined ? undefined : values.includes(text);
    } else {
      const value = values[0]!;
      if (name === "from" && log.time < Date.parse(value)) return `before from=${value}`;
      if (name === "to" && log.time > Date.parse(value)) return `after to=${value}`;
      if (name === "range" && log.time < askedAt - Number(value.slice(0, -1)) * RANGE_UNIT_MS[value.slice(-1)]!)
        return `outside range=${value}`;
      if (
        name === "q" &&
        ![log.message, log.user, log.action].some(
          (text) => text !== undefined && new RegExp(escapeRegExp(value), "iu").test(text),
        )
      )
        return `without q=${value}`;
      continue;
    }
    if (!excluded && found !== true) return `${name} is not one of ${JSON.stringify(values)}`;
    if (excluded && found === true) return `${name} is one of ${JSON.stringify(values)}`;
  }
  return undefined;
}

/** A CSV export's rows as the filter reads them: cells restored (restoreCsvCell), times parsed, empty optional cells absent. */
export function csvLogs(bytes: Uint8Array): (FilteredLog & { log_id: string })[] {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  assert.ok(text.startsWith(CSV_BOM), "the CSV starts with a BOM");
  const [header, ...rows] = Papa.parse<string[]>(text.slice(CSV_BOM.length), {
    newline: "\r\n",
    skipEmptyLines: true,
  }).data;
  assert.deepEqual(header, [...CSV_COLUMNS]);
  return rows.map((row) => {
    const cell = Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, restoreCsvCell(row[index] ?? "")]));
    const optional = (value: string) => (value === "" ? undefined : value);
    return {
      log_id: cell.log_id!,
      time: Date.parse(cell.timestamp!),
      ip: optional(cell.ip!),
      user: cell.user!,
      action: cell.action!,
      status: cell.status!,
      source: optional(cell.source!),
      message: cell.message,
      metadata: cell.metadata ? (JSON.parse(cell.metadata) as Record<string, unknown>) : undefined,
      ingested_by: optional(cell.ingested_by!),
    };
  });
}
