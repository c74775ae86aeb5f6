import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AlertRow } from "./alert-rows";
import { withLaterStatus } from "./alert-rows";
import { parseAlertListParams, type AlertListParams } from "./list-params";
import { pageGroups, pageRows, selectRows } from "./list-rows";

const BASE = Date.parse("2026-03-01T00:00:00Z");
const MINUTE = 60_000;

function makeRow(overrides: Partial<AlertRow> = {}): AlertRow {
  return {
    id: "a",
    type: "failure_burst",
    severity: "high",
    ip: "203.0.113.66",
    start: BASE,
    end: BASE + 5 * MINUTE,
    count: 8,
    created: BASE,
    status: "open",
    changes: 0,
    ...overrides,
  };
}

function query(text: string): AlertListParams {
  const parsed = parseAlertListParams(new URLSearchParams(text));
  assert.ok("query" in parsed, JSON.stringify(parsed));
  return parsed.query;
}

function problems(text: string): string[] {
  const parsed = parseAlertListParams(new URLSearchParams(text));
  assert.ok("problems" in parsed);
  return parsed.problems.map((problem) => `${problem.field} ${problem.message}`);
}

describe("parseAlertListParams", () => {
  it("lists open alerts, most severe first, 50 a page by default; empty parameters count as absent", () => {
    for (const text of ["", "subject=&min_severity=&from="]) {
      const parsed = query(text);
      assert.deepEqual(
        [parsed.status, parsed.sort, parsed.order, parsed.limit, parsed.subject, parsed.group],
        ["open", "severity", "desc", 50, undefined, undefined],
      );
    }
  });

  it("reads a subject as an address, a CIDR range or a user name, and types repeated or comma-separated", () => {
    assert.deepEqual(query("subject=203.0.113.0/24").subject?.text, "203.0.113.0/24");
    assert.ok(query("subject=2001:db8::1").subject && "ip" in query("subject=2001:db8::1").subject!);
    assert.deepEqual(query("subject=%20alice%20").subject, { user: "alice", text: "alice" });
    assert.deepEqual(query("type=failure_burst&type=password_spraying,off_hours").type, [
      "failure_burst",
      "password_spraying",
      "off_hours",
    ]);
  });

  it("names every bad parameter", () => {
    const found = problems(
      "status=closed&min_severity=huge&subject=10.0.0.0/99&sort=name&group=host&limit=500&extra=1",
    );
    for (const field of ["status", "min_severity", "subject", "sort", "group", "limit"])
      assert.ok(
        found.some((text) => text.startsWith(`${field} `)),
        `${field}: ${found.join("; ")}`,
      );
    assert.ok(found.some((text) => /extra/.test(text)));
    assert.deepEqual(problems("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), ["from must not be after to"]);
  });
});

describe("selectRows", () => {
  const rows = [
    makeRow({ id: "burst", severity: "critical" }),
    makeRow({ id: "spray", type: "password_spraying", ip: "198.51.100.7", severity: "medium", status: "acknowledged" }),
    makeRow({
      id: "user",
      type: "new_ip_for_user",
      ip: undefined,
      user: "alice",
      severity: "low",
      start: BASE + 60 * MINUTE,
      end: BASE + 61 * MINUTE,
    }),
    makeRow({ id: "resolved", ip: "203.0.113.9", status: "resolved" }),
  ];
  const ids = (text: string) => selectRows(rows, query(text)).rows.map((row) => row.id);

  it("filters by status, minimum severity, type, subject and overlapping window, counting each status under the other filters", () => {
    assert.deepEqual(ids(""), ["burst", "user"]);
    assert.deepEqual(ids("status=all&min_severity=medium"), ["burst", "spray", "resolved"]);
    assert.deepEqual(ids("status=all&type=password_spraying"), ["spray"]);
    assert.deepEqual(ids("status=all&subject=203.0.113.0/24"), ["burst", "resolved"]);
    assert.deepEqual(ids("status=all&subject=alice"), ["user"]);
    assert.deepEqual(ids("status=all&from=2026-03-01T00:30:00Z"), ["user"]);
    assert.deepEqual(ids("status=all&to=2026-03-01T00:05:00Z"), ["burst", "spray", "resolved"]);
    assert.deepEqual(selectRows(rows, query("subject=203.0.113.0/24")).counts, {
      open: 1,
      acknowledged: 0,
      resolved: 1,
      suppressed: 0,
    });
  });
});

describe("pageRows", () => {
  const rows = Array.from({ length: 7 }, (_, index) =>
    makeRow({
      id: `r${index}`,
      severity: index % 2 ? "high" : "low",
      end: BASE + index * MINUTE,
      count: 10 - index,
      created: BASE + index,
    }),
  );

  it("orders most severe then latest first, and pages after an opaque cursor without repeating or skipping", () => {
    const first = pageRows(rows, query("limit=3"));
    assert.deepEqual(
      first.rows.map((row) => row.id),
      ["r5", "r3", "r1"],
    );
    assert.ok(first.next_cursor);
    const second = pageRows(rows, query(`limit=3&cursor=${first.next_cursor}`));
    assert.deepEqual(
      second.rows.map((row) => row.id),
      ["r6", "r4", "r2"],
    );
    const third = pageRows(rows, query(`limit=3&cursor=${second.next_cursor}`));
    assert.deepEqual(
      third.rows.map((row) => row.id),
      ["r0"],
    );
    assert.equal(third.next_cursor, null);
  });

  it("sorts by count ascending and refuses a cursor of another sort or a made-up one, naming cursor", () => {
    const page = pageRows(rows, query("sort=count&order=asc&limit=2"));
    assert.deepEqual(
      page.rows.map((row) => row.id),
      ["r6", "r5"],
    );
    assert.throws(
      () => pageRows(rows, query(`limit=2&cursor=${page.next_cursor}`)),
      (error: { details: { field: string }[] }) => error.details[0]!.field === "cursor",
    );
    assert.throws(() => pageRows(rows, query("cursor=bm9wZQ")), /cursor is not a cursor this list gave/);
  });
});

describe("pageGroups", () => {
  const rows = [
    makeRow({ id: "burst", ip: "203.0.113.66", user: "alice", severity: "medium" }),
    makeRow({ id: "spray", type: "password_spraying", ip: "203.0.113.66", severity: "critical", count: 40 }),
    makeRow({ id: "user", type: "new_ip_for_user", ip: undefined, user: "alice", severity: "low" }),
    makeRow({ id: "silent", type: "source_silent", ip: undefined, source: "auth-1", severity: "high" }),
  ];

  it("puts an alert with an IP and a user under its IP, or under its user when grouping by user; pages count groups", () => {
    const byIp = pageGroups(rows, { ...query("group=ip"), group: "ip" });
    assert.deepEqual(
      byIp.groups.map((group) => [
        group.key,
        group.rows.map((row) => row.id),
        group.types,
        group.severity,
        group.count,
      ]),
      [
        ["ip:203.0.113.66", ["spray", "burst"], ["failure_burst", "password_spraying"], "critical", 48],
        ["source:auth-1", ["silent"], ["source_silent"], "high", 8],
        ["user:alice", ["user"], ["new_ip_for_user"], "low", 8],
      ],
    );
    const byUser = pageGroups(rows, { ...query("group=user&limit=1"), group: "user" });
    assert.deepEqual(
      byUser.groups.map((group) => group.key),
      ["ip:203.0.113.66"],
    );
    const next = pageGroups(rows, { ...query(`group=user&limit=5&cursor=${byUser.next_cursor}`), group: "user" });
    assert.deepEqual(
      next.groups.map((group) => [group.key, group.rows.map((row) => row.id)]),
      [
        ["source:auth-1", ["silent"]],
        ["user:alice", ["burst", "user"]],
      ],
    );
  });
});

describe("withLaterStatus", () => {
  it("keeps the status fields of whichever row records more changes", () => {
    const detection = makeRow({ count: 9 });
    const changed = makeRow({ status: "acknowledged", changes: 1, changed_at: BASE, changed_by: "ana" });
    assert.deepEqual(withLaterStatus(detection, changed), {
      ...detection,
      status: "acknowledged",
      changes: 1,
      changed_at: BASE,
      changed_by: "ana",
    });
    assert.equal(withLaterStatus(changed, detection), changed);
  });
});
