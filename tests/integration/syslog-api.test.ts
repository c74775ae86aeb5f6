// POST /api/logs/syslog through its route handler, against the real embedded server.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST } from "@/app/api/logs/syslog/route";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { authLogLine, bruteForceLines } from "./support/auth-log";
import { call } from "./support/http";

setupAppDatabase("syslog_api", { INGEST_MAX_BODY_BYTES: "65536", INGEST_MAX_ITEMS: "100" });

let db: Db;
let key: string;
const post = (body: string, options: { key?: string; contentType?: string; query?: string } = {}) =>
  call(POST, "POST", `/api/logs/syslog${options.query ?? ""}`, {
    key: options.key ?? key,
    body,
    contentType: options.contentType ?? "text/plain",
  });
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

before(async () => {
  db = await getDb();
  key = await createTestApiKey(db, ["ingest"]);
});

describe("POST /api/logs/syslog", () => {
  it("stores one signed log per attempt, counts the skipped lines by reason, and stores nothing twice when the lines come again", async () => {
    const lines = [
      ...bruteForceLines(minutesAgo(20), "web-1", "203.0.113.66", 3),
      authLogLine(
        minutesAgo(19),
        "web-1",
        "sshd[2100]",
        "Accepted publickey for alice from 10.0.0.2 port 50522 ssh2: ED25519 SHA256:q1w2e3",
      ),
      authLogLine(
        minutesAgo(19),
        "web-1",
        "sshd[2100]",
        "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)",
      ),
      authLogLine(
        minutesAgo(18),
        "web-1",
        "sudo",
        "   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id",
      ),
      "not a syslog line",
    ];
    const body = `${lines.join("\r\n")}\r\n`;
    const response = await post(body);
    assert.equal(response.status, 201, response.text);
    assert.deepEqual([response.body.accepted, response.body.duplicates, response.body.ids.length], [5, 0, 5]);
    assert.deepEqual(response.body.skipped, { not_syslog: 1, no_security_event: 1, same_attempt: 6 });

    const login = await logsCollection(db).findOne({ _id: response.body.ids[3] });
    assert.deepEqual(
      [login?.user, login?.ip, login?.action, login?.status, login?.source],
      ["alice", "10.0.0.2", "ssh_login", "success", "web-1"],
    );
    assert.equal(login?.message, lines[9]);
    assert.deepEqual(login?.metadata, {
      host: "web-1",
      program: "sshd",
      pid: 2100,
      method: "publickey",
      port: 50522,
      invalid_user: false,
      key: "ED25519 SHA256:q1w2e3",
    });
    assert.match(String(login?.ingested_by), /^key:/);
    const sudo = await logsCollection(db).findOne({ _id: response.body.ids[4] });
    assert.deepEqual(
      [sudo?.user, sudo?.action, sudo?.metadata?.target_user, "ip" in (sudo ?? {})],
      ["alice", "sudo_command", "root", false],
    );

    const again = await post(body);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.accepted, again.body.duplicates, again.body.ids], [0, 5, response.body.ids]);
  });

  it("answers 200 with nothing stored when no line is an attempt", async () => {
    const response = await post(
      authLogLine(minutesAgo(5), "web-1", "CRON[1]", "pam_unix(cron:session): session closed for user root"),
    );
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body, {
      accepted: 0,
      duplicates: 0,
      skipped: { not_syslog: 0, no_security_event: 1, same_attempt: 0 },
      ids: [],
    });
  });

  it("reads BSD times in the zone named by tz", async () => {
    const instant = new Date(Math.floor((Date.now() - 3 * 86_400_000) / 1000) * 1000);
    const paris = new Intl.DateTimeFormat("en-US", {
      timeZone: "Europe/Paris",
      hourCycle: "h23",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    const part = Object.fromEntries(paris.formatToParts(instant).map(({ type, value }) => [type, value]));
    const line = `${part.month} ${part.day!.padStart(2, " ")} ${part.hour}:${part.minute}:${part.second} paris-1 sshd[9]: Failed password for root from 198.51.100.7 port 4000 ssh2`;
    const response = await post(line, { query: "?tz=Europe/Paris" });
    assert.equal(response.status, 201, response.text);
    assert.equal((await logsCollection(db).findOne({ _id: response.body.ids[0] }))?.timestamp, instant.toISOString());
  });

  it("answers 400 naming tz for a zone it does not know, or an unknown parameter", async () => {
    const line = authLogLine(
      minutesAgo(5),
      "web-1",
      "sshd[9]",
      "Failed password for root from 198.51.100.7 port 4000 ssh2",
    );
    const bad = await post(line, { query: "?tz=Mars/Olympus" });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.body.error.details.map((problem: { field: string }) => problem.field),
      ["tz"],
    );
    const unknown = await post(line, { query: "?timezone=UTC" });
    assert.deepEqual([unknown.status, unknown.body.error.details[0].field], [400, "timezone"]);
  });

  it("answers 415 for JSON, 401 without a key and 413 beyond the body limit", async () => {
    const line = authLogLine(
      minutesAgo(5),
      "web-1",
      "sshd[9]",
      "Failed password for root from 198.51.100.7 port 4000 ssh2",
    );
    assert.equal((await post(line, { contentType: "application/json" })).status, 415);
    assert.equal((await call(POST, "POST", "/api/logs/syslog", { body: line, contentType: "text/plain" })).status, 401);
    const large = await post(`${line}\n`.repeat(Math.ceil(65_537 / line.length)));
    assert.equal(large.status, 413);
    assert.equal(large.body.error.code, "payload_too_large");
  });

  it("reads bytes that are not UTF-8 as U+FFFD rather than refusing the attempts beside them", async () => {
    const line = authLogLine(
      minutesAgo(6),
      "web-1",
      "sshd[12]",
      "Failed password for root from 198.51.100.12 port 4000 ssh2",
    );
    const body = Buffer.concat([Buffer.from(`${line}\n`), Buffer.from([0x6c, 0x6f, 0x67, 0xff, 0x0a])]);
    const headers = { authorization: `Bearer ${key}`, "content-type": "text/plain" };
    const response = await POST(new Request("http://localhost/api/logs/syslog", { method: "POST", headers, body }), {
      params: Promise.resolve({}),
    });
    assert.equal(response.status, 201);
    assert.deepEqual((await response.json()).skipped, { not_syslog: 1, no_security_event: 0, same_attempt: 0 });
  });

  it("refuses the whole request, naming the line, for a reserved source or a time in the future", async () => {
    const good = authLogLine(
      minutesAgo(5),
      "web-1",
      "sshd[10]",
      "Failed password for root from 198.51.100.8 port 4000 ssh2",
    );
    const forged = authLogLine(
      minutesAgo(5),
      "ledgerline",
      "sshd[10]",
      "Accepted password for admin from 198.51.100.8 port 4001 ssh2",
    );
    const response = await post([good, forged].join("\n"));
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.error.details.map((problem: { line: number; field: string }) => [problem.line, problem.field]),
      [[2, "source"]],
    );

    const ahead = `${new Date(Date.now() + 60 * 60_000).toISOString()} web-1 sshd[11]: Failed password for root from 198.51.100.8 port 4002 ssh2`;
    const future = await post([good, good, ahead].join("\n"));
    assert.equal(future.status, 400);
    assert.deepEqual(
      future.body.error.details.map((problem: { line: number; field: string }) => [problem.line, problem.field]),
      [[3, "timestamp"]],
    );
    assert.equal(await logsCollection(db).countDocuments({ "metadata.pid": 10 }), 0);
  });

  it("lets a key bound to a host send that host's lines only, with 403 naming the line of another", async () => {
    const { key: hostKey } = await createApiKey(
      db,
      { name: "web-7 shipper", scopes: ["ingest"], sources: ["web-7"] },
      { user: "test" },
    );
    const own = authLogLine(
      minutesAgo(4),
      "web-7",
      "sshd[70]",
      "Failed password for root from 198.51.100.70 port 4000 ssh2",
    );
    const other = authLogLine(
      minutesAgo(4),
      "db-1",
      "sshd[71]",
      "Accepted password for root from 198.51.100.71 port 4000 ssh2",
    );
    const refused = await post([own, other].join("\n"), { key: hostKey });
    assert.equal(refused.status, 403);
    assert.deepEqual(
      refused.body.error.details.map((problem: { line: number; field: string }) => [problem.line, problem.field]),
      [[2, "source"]],
    );
    assert.equal(await logsCollection(db).countDocuments({ source: "web-7" }), 0);
    assert.equal((await post(own, { key: hostKey })).status, 201);
  });
});
