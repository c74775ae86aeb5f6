// Property fuzz of POST /api/logs/syslog: generated lines of every format and
// none, hostile text in each part, NUL, bytes that are not UTF-8, overlong
// lines, and generated tz parameters. A line is an attempt or skipped, never a
// reason to refuse the request (docs/security.md): only a bad tz or parameter
// (400 naming it), a body without lines (400) or too many attempts (413)
// refuse one, and then nothing is stored.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { POST as syslogPost } from "@/app/api/logs/syslog/route";
import {
  assertAnswer,
  fragment,
  fuzz,
  FUZZ_RUNS,
  hostileText,
  notUtf8,
  sshdLine,
  withInvalidBytes,
} from "./support/hostile";
import { call } from "./support/http";
import { setupIngestFuzz } from "./support/ingest-fuzz";

const store = setupIngestFuzz("fuzz_ingest_syslog");

// POST /api/logs/syslog: lines of every format and none, hostile text in every part, bytes that are not UTF-8, with a
// zone or a bad one.
const syslogLine = fc.oneof(
  { weight: 4, arbitrary: sshdLine() },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 60, max: 86_400 }), fragment, hostileText(60))
      .map(
        ([ago, host, user]) =>
          `${new Date(Date.now() - ago * 1000).toISOString()} ${host.replace(/\s/g, "") || "h"} sudo:   ${user} : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=${user}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 60, max: 86_400 }),
        fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constant(60) }),
      )
      .map(
        ([ago, times]) =>
          `<38>1 ${new Date(Date.now() - ago * 1000).toISOString()} web-1 sshd 7 - - message repeated ${times} times: [ Failed password for root from 203.0.113.9 port 22 ssh2]`,
      ),
  },
  { weight: 2, arbitrary: hostileText(400) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "2026-02-30T10:00:00Z web-1 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2",
      "Feb 30 10:00:00 web-1 sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2",
      "\u0000\u0000",
      `Dec  1 10:00:00 web-1 sshd[1]: Failed password for ${"x".repeat(9_000)} from 203.0.113.9 port 22 ssh2`,
    ),
  },
);
const VALID_ZONES = ["UTC", "Europe/Paris", "europe/paris", "Asia/Kolkata", "Etc/GMT+12", "America/St_Johns"];
const zoneQuery = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID_ZONES).map((tz) => ({ pairs: [["tz", tz]], bad: undefined })) },
  { weight: 2, arbitrary: fc.constant({ pairs: [] as string[][], bad: undefined }) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          "",
          "Mars/Base",
          "../../etc/passwd",
          "UTC\u0000",
          "+02:00",
          "__proto__",
          "constructor",
          "x".repeat(65),
        ),
        fragment.filter((text) => !VALID_ZONES.includes(text)),
      )
      .map((tz) => ({ pairs: [["tz", tz]], bad: "tz" })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("$where", "__proto__", "constructor", "toString", "timezone", "tz[$ne]")
      .map((name) => ({ pairs: [[name, "UTC"]], bad: name })),
  },
);

describe("fuzz: POST /api/logs/syslog", () => {
  it(`stores an attempt or skips each line of ${FUZZ_RUNS} generated bodies, never refusing a request for a line`, async () => {
    const input = fc.record({
      lines: fc.array(syslogLine, { minLength: 1, maxLength: 8 }),
      newline: fc.constantFrom("\n", "\r\n"),
      badBytes: notUtf8(5),
      query: zoneQuery,
    });
    await fuzz("POST /api/logs/syslog", input, async ({ lines, newline, badBytes, query }) => {
      const text = lines.join(newline) + newline;
      const body = badBytes ? withInvalidBytes(text, badBytes[0], badBytes[1]) : new TextEncoder().encode(text);
      const search = new URLSearchParams(query.pairs).toString();
      const answer = await call(syslogPost, "POST", `/api/logs/syslog${search ? `?${search}` : ""}`, {
        key: store.key,
        body,
        contentType: "text/plain",
      });
      assertAnswer(answer);
      const context = answer.text.slice(0, 500);
      if (query.bad !== undefined) {
        assert.equal(answer.status, 400, context);
        assert.ok(
          answer.body.error.details.some((problem: { field: string }) => problem.field === query.bad),
          context,
        );
        return store.expectNothingStored(context);
      }
      if (lines.every((line) => line.trim() === "") && !badBytes) {
        assert.equal(answer.status, 400, context);
        return store.expectNothingStored(context);
      }
      if (answer.status === 413) return store.expectNothingStored(context);
      assert.ok(answer.status === 200 || answer.status === 201, context);
      assert.equal(answer.body.accepted + answer.body.duplicates, answer.body.ids.length, context);
      assert.equal(answer.status === 201, answer.body.accepted > 0, context);
      await store.expectStoredThenRemove(answer.body.ids, context);
    });
  });
});
