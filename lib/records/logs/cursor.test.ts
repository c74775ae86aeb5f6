import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "@/lib/platform/http/errors";
import { cursorQuery, decodeCursor, encodeCursor, type LogCursor } from "./cursor";
import { logPageQuery, toPage } from "./log-page";
import type { LogFilter } from "./filters";

const T = new Date("2026-11-26T08:00:00.123Z");
const base: LogFilter = { limit: 2, sort: "desc", format: "csv" };
const rows = [1, 2, 3].map((sequence) => ({ time: new Date(T.getTime() - sequence), sequence }));

describe("encodeCursor and decodeCursor", () => {
  it("round-trips as base64url of a small JSON", () => {
    const cursor: LogCursor = { time: T, sequence: 42, sort: "desc" };
    const text = encodeCursor(cursor);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(JSON.parse(Buffer.from(text, "base64url").toString()), { t: T.getTime(), s: 42, o: "desc" });
    assert.deepEqual(decodeCursor(text), cursor);
  });

  it("refuses garbage and tampered cursors with a validation error naming cursor", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const good = encodeCursor({ time: T, sequence: 1, sort: "asc" });
    const bad = [
      "",
      "garbage!",
      `${good}=`,
      `${good.slice(0, -1)}.`,
      Buffer.from("not json").toString("base64url"),
      encode({ t: T.getTime(), s: 1 }),
      encode({ t: T.getTime(), s: -1, o: "desc" }),
      encode({ t: T.getTime(), s: 1.5, o: "desc" }),
      encode({ t: "2026-01-01", s: 1, o: "desc" }),
      encode({ t: 9e15, s: 1, o: "desc" }),
      encode({ t: T.getTime(), s: { $gt: 0 }, o: "desc" }),
      encode({ t: T.getTime(), s: 1, o: "desc", extra: 1 }),
      encode({ o: "desc", s: 1, t: T.getTime() }),
      "A".repeat(10_000),
    ];
    for (const text of bad) {
      assert.throws(
        () => decodeCursor(text),
        (error) =>
          error instanceof ApiError &&
          error.status === 400 &&
          JSON.stringify(error.details).includes('"field":"cursor"'),
        text.slice(0, 40),
      );
    }
  });
});

describe("cursorQuery", () => {
  it("asks for rows strictly after the cursor row in its sort order", () => {
    assert.deepEqual(cursorQuery({ time: T, sequence: 7, sort: "desc" }), {
      $or: [{ time: { $lt: T } }, { time: T, sequence: { $lt: 7 } }],
    });
    assert.deepEqual(cursorQuery({ time: T, sequence: 7, sort: "asc" }), {
      $or: [{ time: { $gt: T } }, { time: T, sequence: { $gt: 7 } }],
    });
  });
});

describe("logPageQuery", () => {
  it("sorts by time then sequence in the filter's direction", () => {
    assert.deepEqual(logPageQuery(base), { query: {}, sort: { time: -1, sequence: -1 }, limit: 2 });
    assert.deepEqual(logPageQuery({ ...base, sort: "asc" }).sort, { time: 1, sequence: 1 });
  });

  it("combines the filter's query with the cursor's", () => {
    const cursor: LogCursor = { time: T, sequence: 7, sort: "desc" };
    assert.deepEqual(logPageQuery({ ...base, cursor }).query, cursorQuery(cursor));
    assert.deepEqual(logPageQuery({ ...base, cursor, user: ["a"] }).query, {
      $and: [{ user: "a" }, cursorQuery(cursor)],
    });
  });
});

describe("toPage", () => {
  it("returns the page and the cursor of its last row when one more row was found", () => {
    const page = toPage(rows, { limit: 2, sort: "desc" });
    assert.deepEqual(page.items, rows.slice(0, 2));
    assert.deepEqual(decodeCursor(page.nextCursor!), { time: rows[1]!.time, sequence: 2, sort: "desc" });
    assert.equal(page.prevCursor, null, "the first page has nothing before it");
  });

  it("has no next cursor on the last page", () => {
    assert.deepEqual(toPage(rows, { limit: 3, sort: "asc" }), { items: rows, nextCursor: null, prevCursor: null });
    assert.deepEqual(toPage([], { limit: 3, sort: "asc" }), { items: [], nextCursor: null, prevCursor: null });
  });

  it("points back from a page reached by cursor", () => {
    const cursor: LogCursor = { time: T, sequence: 9, sort: "desc" };
    const page = toPage(rows.slice(0, 2), { limit: 2, sort: "desc", cursor });
    assert.deepEqual(decodeCursor(page.prevCursor!), { time: rows[0]!.time, sequence: 1, sort: "desc" });
  });

  it("turns a before page, read the other way, back into page order", () => {
    const before: LogCursor = { time: T, sequence: 9, sort: "desc" };
    const readBackwards = [...rows].reverse();
    const page = toPage(readBackwards, { limit: 2, sort: "desc", before });
    assert.deepEqual(page.items, readBackwards.slice(0, 2).reverse());
    assert.deepEqual(decodeCursor(page.nextCursor!).sequence, page.items.at(-1)!.sequence);
    assert.deepEqual(
      decodeCursor(page.prevCursor!).sequence,
      page.items[0]!.sequence,
      "one more row was found: newer rows remain",
    );
    assert.equal(toPage(readBackwards.slice(0, 2), { limit: 2, sort: "desc", before }).prevCursor, null);
  });
});

describe("logPageQuery for a before page", () => {
  it("reads from the cursor the other way", () => {
    const before: LogCursor = { time: T, sequence: 7, sort: "desc" };
    const { query, sort } = logPageQuery({ ...base, before });
    assert.deepEqual(sort, { time: 1, sequence: 1 });
    assert.deepEqual(query, cursorQuery({ ...before, sort: "asc" }));
  });
});
