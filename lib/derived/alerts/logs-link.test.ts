import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseLogFilter } from "@/lib/records/logs/filters";
import { logsLinkOf } from "./logs-link";

const start = new Date("2026-11-25T10:00:00.000Z");
const end = new Date("2026-11-25T10:04:30.000Z");

describe("logsLinkOf", () => {
  it("links to the explorer filtered to the subject over the window, which the explorer reads back as the same filter", () => {
    const link = logsLinkOf({ ip: "2001:db8:bad::1", user: "victim.user", start, end });
    assert.equal(link.pathname, "/logs");
    assert.deepEqual(link.query, {
      from: start.toISOString(),
      to: end.toISOString(),
      ip: "2001:db8:bad::1",
      user: "victim.user",
    });
    const filter = parseLogFilter(new URLSearchParams(link.query), new Date());
    assert.deepEqual(
      [filter.ip, filter.user, filter.from, filter.to],
      [["2001:db8:bad::1"], ["victim.user"], start, end],
    );
  });

  it("names only the subject the finding has", () => {
    assert.deepEqual(Object.keys(logsLinkOf({ user: "night.owl", start, end: start }).query), ["from", "to", "user"]);
    const silent = logsLinkOf({ source: "auth-1", start, end });
    assert.deepEqual(parseLogFilter(new URLSearchParams(silent.query), new Date()).source, ["auth-1"]);
  });
});
