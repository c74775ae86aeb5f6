// The explorer's query layer against the real server: for each filter the
// database returns exactly the logs that the JS matcher accepts (and the ones
// expected), hostile text stays literal, and cursor pages neither skip nor
// repeat a row, even while logs arrive between page reads.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { ApiError } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { verifyLogMac } from "@/lib/records/integrity/mac";
import { logsCollection } from "@/lib/records/logs/collection";
import { filterToSearchParams, parseLogFilter, type LogCriteria, type LogFilter } from "@/lib/records/logs/filters";
import { ingestLogs } from "@/lib/records/logs/ingest";
import { findLogPage } from "@/lib/features/explorer/log-pages";
import { logFilterQuery, logMatcher } from "@/lib/records/logs/criteria-query";
import { signedFieldsOf, type StoredLog } from "@/lib/records/logs/record";
import type { LogInput } from "@/lib/records/logs/schemas";
import { ipKey } from "@/lib/foundation/net/ip";
import { setupTestDatabase } from "./support/test-db";

const test = setupTestDatabase("log_filters");
const paging = setupTestDatabase("log_paging");

const BASE = Date.UTC(2025, 5, 1, 8, 0, 0);
const NOW = new Date(BASE + 3_600_000);
const at = (minute: number) => new Date(BASE + minute * 60_000).toISOString();

type Row = Partial<LogInput> & { log_id: string };

// Named logs the assertions refer to; unnamed fields are plain.
const ROWS: Row[] = [
  {
    log_id: "alice-1",
    user: "alice",
    ip: "10.0.3.7",
    status: "failed",
    message: "Wrong password",
    source: "auth-1",
    metadata: { port: 22, mfa: true, method: "password" },
  },
  {
    log_id: "alice-2",
    user: "Alice",
    ip: "10.0.3.200",
    action: "logout",
    message: "bye",
    metadata: { port: "22", mfa: "true" },
  },
  {
    log_id: "alice-3",
    user: "ALICE",
    ip: "10.0.4.1",
    status: "failed",
    source: "auth-2",
    metadata: { port: 2, ratio: 1.5 },
  },
  {
    log_id: "mapped",
    user: "bob",
    ip: "::ffff:10.0.3.99",
    message: "mapped address",
    metadata: { port: 220, method: "key" },
  },
  {
    log_id: "v6-a",
    user: "bob",
    ip: "2001:db8::1",
    action: "export",
    message: "export done",
    metadata: { ratio: "1.5", port: 2.5 },
  },
  { log_id: "v6-b", user: "carol", ip: "2001:db8:ffff::2", status: "failed" },
  { log_id: "v6-out", user: "carol", ip: "2001:db9::1" },
  { log_id: "private", user: "dave", ip: "192.168.1.20", source: "vpn", metadata: { n: 0, port: 3_000_000_000 } },
  {
    log_id: "ne-null",
    user: '{"$ne":null}',
    ip: "10.9.0.1",
    message: "injection attempt",
    metadata: { method: '{"$ne":null}' },
  },
  { log_id: "dot-star", user: "eve", message: "pattern .* literal" },
  { log_id: "alternation", user: "eve", message: "(a|b) literal" },
  { log_id: "just-a", user: "a", action: "b", metadata: { mfa: false, n: -1 } },
  { log_id: "dollar", user: "$where", message: "^anchored$ and back\\slash", metadata: { method: "$where" } },
  { log_id: "zoe-lower", user: "zoë", message: "accented" },
  { log_id: "zoe-upper", user: "ZOË" },
  { log_id: "zoe-nfd", user: "zoe\u0301" },
  { log_id: "kelvin", user: "\u212a-admin" },
  { log_id: "k-admin", user: "k-admin" },
  { log_id: "long-s", user: "\u017fam" },
  { log_id: "sharp-s", user: "stra\u00dfe" },
  { log_id: "capital-sharp-s", user: "STRA\u1e9eE" },
  { log_id: "ss", user: "strasse" },
  { log_id: "dotted-i", user: "\u0130stanbul" },
  { log_id: "sigma", user: "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3" },
  { log_id: "final-sigma", user: "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2" },
  { log_id: "garay-small", user: "g-\u{10d70}" },
  { log_id: "garay-capital", user: "g-\u{10d50}" },
  { log_id: "lambda", user: "l-\u019b" },
  { log_id: "lambda-capital", user: "l-\ua7dc" },
  { log_id: "deseret", user: "\u{10428}" },
  { log_id: "no-message", user: "frank", action: "password-reset" },
  { log_id: "no-address", user: "root", action: "su", ip: undefined },
];

// Three logs share each timestamp, so pages end inside ties and sequence breaks them.
const INPUTS: LogInput[] = ROWS.map((row, index) => ({
  timestamp: at(Math.floor(index / 3)),
  ip: "10.0.0.1",
  action: "login",
  status: "success",
  user: "x",
  ...row,
}));

let stored: StoredLog[];

async function ingest(db: Db, inputs: LogInput[]) {
  await ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
}

async function idsFound(criteria: LogCriteria): Promise<string[]> {
  const logs = await logsCollection(test.db).find(logFilterQuery(criteria)).toArray();
  return logs.map((log) => log._id).sort();
}

function idsMatched(criteria: LogCriteria): string[] {
  const matches = logMatcher(criteria);
  return stored
    .filter(matches)
    .map((log) => log._id)
    .sort();
}

/** The database and the JS matcher agree, and (when given) on exactly these logs. */
async function assertAgree(criteria: LogCriteria, expected?: string[]): Promise<string[]> {
  const found = await idsFound(criteria);
  assert.deepEqual(found, idsMatched(criteria), `database and matcher differ for ${JSON.stringify(criteria)}`);
  if (expected) assert.deepEqual(found, [...expected].sort(), JSON.stringify(criteria));
  return found;
}

const parse = (query: string) => parseLogFilter(new URLSearchParams(query), NOW);

function problemsOf(query: string): FieldProblem[] {
  try {
    parse(query);
  } catch (error) {
    assert.ok(error instanceof ApiError && error.status === 400);
    return error.details as FieldProblem[];
  }
  assert.fail("accepted");
}

describe("stored logs", () => {
  // Here, not at the top level: node runs top-level hooks before each suite.
  before(async () => {
    await ensureIndexes(test.db);
    await ingest(test.db, INPUTS);
    stored = await logsCollection(test.db).find().toArray();
    assert.equal(stored.length, ROWS.length);
  });

  it("carry an ip_key that the MAC does not cover", () => {
    const mapped = stored.find((log) => log._id === "mapped")!;
    assert.equal(mapped.ip, "::ffff:10.0.3.99");
    assert.equal(mapped.ip_key, ipKey("10.0.3.99"));
    assert.ok(
      stored.every(
        (log) =>
          log.ip_key === (log.ip === undefined ? undefined : ipKey(log.ip)) &&
          verifyLogMac({ ...signedFieldsOf(log), mac: log.mac }, getKeyring()) === "valid",
      ),
    );
  });
});

describe("logFilterQuery on the real server", () => {
  it("finds exactly what matchesLogFilter accepts for time, status, user, action and source", async () => {
    await assertAgree(
      {},
      ROWS.map((row) => row.log_id),
    );
    await assertAgree({ from: new Date(at(2)), to: new Date(at(3)) }, [
      "v6-out",
      "private",
      "ne-null",
      "dot-star",
      "alternation",
      "just-a",
    ]);
    await assertAgree({ from: new Date(at(9)) });
    await assertAgree({ to: new Date(at(0)) }, ["alice-1", "alice-2", "alice-3"]);
    await assertAgree({ status: ["failed"] }, ["alice-1", "alice-3", "v6-b"]);
    await assertAgree({ user: ["alice"] }, ["alice-1"]);
    await assertAgree({ user: ["bob"], action: ["export"] }, ["v6-a"]);
    await assertAgree({ source: ["auth-2"] }, ["alice-3"]);
    await assertAgree({ source: ["nowhere"] }, []);
    await assertAgree(
      { status: ["success"], from: new Date(at(1)), to: new Date(at(1)), user: ["bob"], action: ["login"] },
      ["mapped"],
    );
  });

  it("filters by IPv4 and IPv6 address and CIDR range, IPv4-mapped addresses as IPv4", async () => {
    await assertAgree({ ip: ["10.0.3.0/24"] }, ["alice-1", "alice-2", "mapped"]);
    await assertAgree({ ip: ["::ffff:10.0.3.0/120"] }, ["alice-1", "alice-2", "mapped"]);
    await assertAgree({ ip: ["10.0.3.99"] }, ["mapped"]);
    await assertAgree({ ip: ["::ffff:10.0.3.7"] }, ["alice-1"]);
    await assertAgree({ ip: ["10.0.0.0/8"] });
    await assertAgree({ ip: ["192.168.0.0/16"] }, ["private"]);
    await assertAgree({ ip: ["2001:db8::/32"] }, ["v6-a", "v6-b"]);
    await assertAgree({ ip: ["2001:db8::1"] }, ["v6-a"]);
    await assertAgree({ ip: ["2001:db8::/128"] }, []);
    await assertAgree(
      { ip: ["::/0"] },
      ROWS.map((row) => row.log_id).filter((id) => id !== "no-address"),
    );
    // A log without an address matches no address filter and no address exclusion.
    await assertAgree({ ip: ["0.0.0.0/0"], user: ["root"] }, []);
    await assertAgree({ exclude: { ip: ["0.0.0.0/0", "::/0"] } }, ["no-address"]);
    await assertAgree({ user: ["root"], exclude: { ip: ["10.0.0.0/8"] } }, ["no-address"]);
    await assertAgree(
      { ip: ["0.0.0.0/0"] },
      ROWS.map((row) => row.log_id).filter((id) => !id.startsWith("v6") && id !== "no-address"),
    );
  });

  it("searches message, user and action case-insensitively, user and action only without a message", async () => {
    await assertAgree({ q: "PASSWORD" }, ["alice-1", "no-message"]);
    await assertAgree({ q: "alice" }, ["alice-1", "alice-2", "alice-3"]);
    await assertAgree({ q: "LOGOUT" }, ["alice-2"]);
    await assertAgree({ q: "a" });
    await assertAgree({ q: "x-y-z" }, []);
  });

  it("keeps hostile text literal: operators, regex syntax and anchors", async () => {
    await assertAgree(parse(`user=${encodeURIComponent('{"$ne":null}')}`), ["ne-null"]);
    await assertAgree(parse(`q=${encodeURIComponent('{"$ne":null}')}`), ["ne-null"]);
    await assertAgree(parse("q=.*"), ["dot-star"]);
    await assertAgree(parse(`q=${encodeURIComponent("(a|b)")}`), ["alternation"]);
    await assertAgree(parse("user=%24where"), ["dollar"]);
    await assertAgree(parse("q=%5Eanchored%24"), ["dollar"]);
    await assertAgree(parse("q=back%5Cslash"), ["dollar"]);
    await assertAgree(parse("q=%5B"), []);
  });

  it("refuses very long text and NUL with a message naming the parameter", () => {
    assert.deepEqual(problemsOf(`q=${"a".repeat(10_000)}`), [
      { field: "q", message: "must be at most 256 characters" },
    ]);
    assert.deepEqual(problemsOf("q=a%00b"), [{ field: "q", message: "must not contain NUL characters" }]);
    assert.deepEqual(problemsOf(`user=${"u".repeat(300)}`), [
      { field: "user", message: "must be at most 256 characters" },
    ]);
  });

  it("folds case by Unicode simple case folding on both sides", async () => {
    await assertAgree({ q: "zoë" }, ["zoe-lower", "zoe-upper"]);
    await assertAgree({ q: "ZOË" }, ["zoe-lower", "zoe-upper"]);
    await assertAgree({ q: "k-adm" }, ["kelvin", "k-admin"]);
    await assertAgree({ q: "\u212a-ADM" }, ["kelvin", "k-admin"]);
    await assertAgree({ q: "SAM" }, ["long-s"]);
    await assertAgree({ q: "straße" }, ["sharp-s", "capital-sharp-s"]);
    await assertAgree({ q: "strasse" }, ["ss"]);
    await assertAgree({ q: "istanbul" }, []);
    await assertAgree({ q: "\u0130STANBUL" }, ["dotted-i"]);
    await assertAgree({ q: "\u03c3\u03c3\u03b5\u03c5\u03c3" }, ["sigma", "final-sigma"]);
    await assertAgree({ q: "\u{10400}" }, ["deseret"]);
  });

  it("matches both letters of a case pair newer than the server's Unicode tables", async () => {
    await assertAgree({ q: "g-\u{10d50}" }, ["garay-small", "garay-capital"]);
    await assertAgree({ q: "G-\u{10d70}" }, ["garay-small", "garay-capital"]);
    await assertAgree({ q: "l-\u019b" }, ["lambda", "lambda-capital"]);
    await assertAgree({ q: "L-\ua7dc" }, ["lambda", "lambda-capital"]);
  });
});

describe("several values, exclusions and metadata on the real server", () => {
  it("finds any of several values, none of the excluded ones, and keeps a log without the field", async () => {
    await assertAgree({ user: ["alice", "bob"] }, ["alice-1", "mapped", "v6-a"]);
    await assertAgree(
      { status: ["failed", "success"] },
      ROWS.map((row) => row.log_id),
    );
    await assertAgree({ ip: ["10.0.3.7", "2001:db8::/32"] }, ["alice-1", "v6-a", "v6-b"]);
    await assertAgree({ user: ["alice", "bob"], exclude: { ip: ["::ffff:10.0.3.0/120"] } }, ["v6-a"]);
    await assertAgree(
      { exclude: { source: ["auth-1", "vpn"] } },
      ROWS.map((row) => row.log_id).filter((id) => !["alice-1", "private"].includes(id)),
    );
    await assertAgree({ exclude: { ip: ["0.0.0.0/0", "2001:db8::/32"] } }, ["v6-out", "no-address"]);
    await assertAgree({ exclude: { status: ["success"] }, user: ["alice", "ALICE", "carol"] }, [
      "alice-1",
      "alice-3",
      "v6-b",
    ]);
  });

  it("compares metadata as strings, numbers and booleans by their JSON text, and never excludes a log without the key", async () => {
    await assertAgree({ meta: { port: ["22"] } }, ["alice-1", "alice-2"]);
    await assertAgree({ meta: { port: ["22.0"] } }, []);
    await assertAgree({ meta: { port: ["2", "2.5", "3000000000"] } }, ["alice-3", "v6-a", "private"]);
    await assertAgree({ meta: { mfa: ["true"] } }, ["alice-1", "alice-2"]);
    await assertAgree({ meta: { mfa: ["false"] } }, ["just-a"]);
    await assertAgree({ meta: { ratio: ["1.5"] } }, ["alice-3", "v6-a"]);
    await assertAgree({ meta: { n: ["0"] } }, ["private"]);
    await assertAgree({ meta: { n: ["-0"] } }, []);
    await assertAgree({ meta: { method: ['{"$ne":null}', "$where"] } }, ["ne-null", "dollar"]);
    await assertAgree({ meta: { "method.length": ["8"] } }, []);
    await assertAgree(
      { exclude: { meta: { port: ["22", "220"] } } },
      ROWS.map((row) => row.log_id).filter((id) => !["alice-1", "alice-2", "mapped"].includes(id)),
    );
    await assertAgree({ meta: { port: ["22", "2"] }, exclude: { meta: { mfa: ["true"] } } }, ["alice-3"]);
  });

  it("agrees with the matcher on nested metadata objects", async () => {
    const nested = test.db.collection<StoredLog>("nested_metadata");
    const base = stored[0]!;
    await nested.insertMany([
      { ...base, _id: "n-1", metadata: { event: { outcome: "failure", code: 4625 } } as never },
      { ...base, _id: "n-2", metadata: { event: { outcome: "success" }, host: { name: "db-1" } } as never },
      { ...base, _id: "n-3", metadata: { event: "failure" } },
      { ...base, _id: "n-4" },
    ]);
    const all = await nested.find().toArray();
    const cases: [LogCriteria, string[]][] = [
      [{ meta: { "event.outcome": ["failure"] } }, ["n-1"]],
      [{ meta: { "event.code": ["4625"] } }, ["n-1"]],
      [{ meta: { event: ["failure"] } }, ["n-3"]],
      [{ exclude: { meta: { "event.outcome": ["failure"] } } }, ["n-2", "n-3", "n-4"]],
      [{ exclude: { meta: { "host.name": ["db-1"], event: ["failure"] } } }, ["n-1", "n-4"]],
    ];
    for (const [criteria, expected] of cases) {
      const found = (await nested.find(logFilterQuery(criteria)).toArray()).map((log) => log._id).sort();
      assert.deepEqual(
        found,
        all
          .filter(logMatcher(criteria))
          .map((log) => log._id)
          .sort(),
        JSON.stringify(criteria),
      );
      assert.deepEqual(found, expected, JSON.stringify(criteria));
    }
  });

  it("finds exactly what the matcher accepts for 200 random filters of lists, exclusions, metadata, ranges and text", async () => {
    let state = 5;
    const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
    const several = <T>(values: readonly T[]): T[] => [
      ...new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(values))),
    ];
    const POOLS = {
      status: ["success", "failed"] as const,
      ip: [
        "10.0.3.0/24",
        "10.0.3.7",
        "2001:db8::/32",
        "::ffff:10.0.3.99",
        "192.168.0.0/16",
        "10.0.0.0/8",
        "0.0.0.0/0",
        "10.0.0.1",
      ],
      user: ["alice", "Alice", "bob", "carol", "eve", '{"$ne":null}', "$where", "nobody"],
      action: ["login", "logout", "export", "password-reset", "b"],
      source: ["auth-1", "auth-2", "vpn", "nowhere"],
    };
    const META: Record<string, string[]> = {
      port: ["22", "220", "2", "2.5", "x"],
      mfa: ["true", "false", "1"],
      method: ["password", "key", "$where"],
      ratio: ["1.5", "1.50"],
      n: ["0", "-1"],
    };
    let some = 0;
    for (let round = 0; round < 200; round++) {
      const criteria: LogCriteria = {};
      const exclude: NonNullable<LogCriteria["exclude"]> = {};
      for (const [target, chance] of [
        [criteria, 0.2],
        [exclude, 0.15],
      ] as const) {
        for (const [field, values] of Object.entries(POOLS))
          if (rand() < chance) Object.assign(target, { [field]: several(values) });
        for (const [key, values] of Object.entries(META))
          if (rand() < chance / 2) target.meta = { ...target.meta, [key]: several(values) };
      }
      if (Object.keys(exclude).length > 0) criteria.exclude = exclude;
      if (rand() < 0.2) criteria.q = pick(["a", "password", "LIC", "x-y-z"]);
      if (rand() < 0.2) criteria.from = new Date(at(Math.floor(rand() * 10)));
      const found = await assertAgree(criteria);
      if (found.length > 0 && found.length < ROWS.length) some++;
    }
    assert.ok(some > 60, `only ${some} filters matched some logs but not all`);
  });
});

describe("cursor pages", () => {
  const ALL_PAGING = 40;
  const pagingInputs = (from: number, count: number, minuteOf: (index: number) => number): LogInput[] =>
    Array.from({ length: count }, (_, index) => ({
      log_id: `p-${from + index}`,
      timestamp: at(minuteOf(from + index)),
      ip: `10.1.0.${(from + index) % 256}`,
      user: `user${(from + index) % 4}`,
      action: "login",
      status: (from + index) % 3 === 0 ? "failed" : "success",
    }));

  before(async () => {
    await ensureIndexes(paging.db);
    // Four logs a minute, minutes 0..9: page boundaries of 7 fall inside ties.
    await ingest(
      paging.db,
      pagingInputs(0, ALL_PAGING, (index) => Math.floor(index / 4)),
    );
  });

  async function walk(filter: LogFilter, between?: (page: number) => Promise<void>): Promise<StoredLog[]> {
    const seen: StoredLog[] = [];
    let current = filter;
    for (let page = 0; page < 100; page += 1) {
      const { items, nextCursor } = await findLogPage(paging.db, current);
      assert.ok(items.length <= filter.limit);
      seen.push(...items);
      if (!nextCursor) return seen;
      assert.equal(items.length, filter.limit, "only the last page may be short");
      await between?.(page);
      // Through the URL, as a link would carry it.
      current = parseLogFilter(new URLSearchParams(`${filterToSearchParams(filter)}&cursor=${nextCursor}`), NOW);
    }
    assert.fail("more than 100 pages");
  }

  async function allInOrder(filter: LogFilter): Promise<string[]> {
    const direction = filter.sort === "desc" ? -1 : 1;
    const logs = await logsCollection(paging.db)
      .find(logFilterQuery(filter))
      .sort({ time: direction, sequence: direction })
      .toArray();
    return logs.map((log) => log._id);
  }

  const ids = (logs: StoredLog[]) => logs.map((log) => log._id);

  it("walks every log once in pages of 7, newest first and oldest first", async () => {
    for (const sort of ["desc", "asc"] as const) {
      const filter = parse(`limit=7&sort=${sort}`);
      const walked = ids(await walk(filter));
      assert.equal(walked.length, ALL_PAGING);
      assert.equal(new Set(walked).size, ALL_PAGING, "no log twice");
      assert.deepEqual(walked, await allInOrder(filter));
    }
  });

  it("walks a filtered set once in pages of 7", async () => {
    for (const sort of ["desc", "asc"] as const) {
      const filter = parse(`limit=7&sort=${sort}&status=success&ip=10.1.0.0/24`);
      const walked = ids(await walk(filter));
      const expected = await allInOrder(filter);
      assert.ok(expected.length > 14 && expected.length < ALL_PAGING);
      assert.deepEqual(walked, expected);
    }
  });

  it("neither shows nor repeats logs that arrive between page reads", async () => {
    const before = await allInOrder(parse("sort=desc"));
    let next = 1000;
    const arrive = async () => {
      // Newer than every log so far, the three sharing a time.
      await ingest(
        paging.db,
        pagingInputs(next, 3, () => 30 + next / 1000),
      );
      next += 1000;
    };

    const desc = ids(await walk(parse("limit=7&sort=desc"), arrive));
    assert.deepEqual(desc, before, "newest first: the walk is exactly the logs there were before it");

    const existingAsc = await allInOrder(parse("sort=asc"));
    const asc = ids(await walk(parse("limit=7&sort=asc"), arrive));
    assert.equal(new Set(asc).size, asc.length, "no log twice");
    assert.deepEqual(asc.slice(0, existingAsc.length), existingAsc, "oldest first: every earlier log in order");
    assert.deepEqual(asc, await allInOrder(parse("sort=asc")), "then the ones that arrived, once each, at the end");
  });
});
