import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LogInput } from "@/lib/records/logs/schemas";
import {
  parseSyslogLine,
  readSyslogText,
  SyslogReader,
  type SyslogLineResult,
  type SyslogOptions,
} from "./parse-lines";

const RECEIVED = { receivedAt: new Date("2026-12-07T10:05:00Z") };

function eventsOf(line: string, options: SyslogOptions = RECEIVED) {
  const result = parseSyslogLine(line, options);
  assert.ok("events" in result, `expected events from ${JSON.stringify(line)}, got ${JSON.stringify(result)}`);
  for (const event of result.events)
    assert.ok(LogInput.safeParse(event).success, JSON.stringify(LogInput.safeParse(event).error?.issues));
  return result.events;
}

function eventOf(line: string, options?: SyslogOptions) {
  const events = eventsOf(line, options);
  assert.equal(events.length, 1);
  return events[0]!;
}

const skipped = (line: string): SyslogLineResult => parseSyslogLine(line, RECEIVED);

describe("sshd lines", () => {
  it("reads a failed password of an invalid user from a plain auth.log line", () => {
    const line =
      "Dec  7 10:00:01 web-1 sshd[1234]: Failed password for invalid user admin from 203.0.113.9 port 51234 ssh2";
    assert.deepEqual(eventOf(line), {
      log_id: eventOf(line).log_id,
      timestamp: "2026-12-07T10:00:01.000Z",
      ip: "203.0.113.9",
      user: "admin",
      action: "ssh_login",
      status: "failed",
      source: "web-1",
      message: line,
      metadata: { host: "web-1", program: "sshd", pid: 1234, method: "password", port: 51234, invalid_user: true },
    });
    assert.match(eventOf(line).log_id!, /^sl-[0-9a-f]{32}-1$/);
  });

  it("reads accepted publickey, keyboard-interactive and failed publickey logins, with the key", () => {
    const accepted = eventOf(
      "Dec  7 10:00:02 web-1 sshd[1240]: Accepted publickey for alice from 10.0.0.2 port 50522 ssh2: ED25519 SHA256:q1w2e3r4t5y6",
    );
    assert.deepEqual(
      [accepted.status, accepted.user, accepted.metadata?.method, accepted.metadata?.key],
      ["success", "alice", "publickey", "ED25519 SHA256:q1w2e3r4t5y6"],
    );
    const pam = eventOf(
      "Dec  7 10:00:03 web-1 sshd[1241]: Accepted keyboard-interactive/pam for bob from 10.0.0.3 port 50600 ssh2",
    );
    assert.deepEqual(
      [pam.status, pam.metadata?.method, pam.metadata?.invalid_user],
      ["success", "keyboard-interactive/pam", false],
    );
    const key = eventOf(
      "Dec  7 10:00:04 web-1 sshd[1242]: Failed publickey for root from 198.51.100.4 port 2222 ssh2: RSA SHA256:abc",
    );
    assert.deepEqual([key.status, key.user, key.metadata?.method], ["failed", "root", "publickey"]);
  });

  it("drops a trailing \\r from the line and its message", () => {
    const event = eventOf(
      "Dec  7 10:00:01 web-1 sshd[1234]: Failed password for root from 203.0.113.9 port 51234 ssh2\r",
    );
    assert.equal(
      event.message,
      "Dec  7 10:00:01 web-1 sshd[1234]: Failed password for root from 203.0.113.9 port 51234 ssh2",
    );
    assert.equal(event.metadata?.method, "password");
  });

  it("reads IPv6 clients, drops an IPv6 zone, and keeps a host name (UseDNS) out of ip", () => {
    assert.equal(
      eventOf("Dec  7 10:00:01 web-1 sshd[7]: Failed password for root from 2001:db8::7 port 40022 ssh2").ip,
      "2001:db8::7",
    );
    assert.equal(
      eventOf("Dec  7 10:00:01 web-1 sshd[7]: Failed password for root from fe80::1%eth0 port 40022 ssh2").ip,
      "fe80::1",
    );
    const named = eventOf(
      "Dec  7 10:00:01 web-1 sshd[7]: Failed password for root from scanner.example.net port 40022 ssh2",
    );
    assert.equal("ip" in named, false);
    assert.equal(named.metadata?.remote_host, "scanner.example.net");
  });

  it("expands `message repeated N times` into N attempts with their own log_ids", () => {
    const events = eventsOf(
      "Dec  7 10:00:09 web-1 sshd[1234]: message repeated 5 times: [ Failed password for root from 203.0.113.9 port 51234 ssh2]",
    );
    assert.equal(events.length, 5);
    assert.deepEqual(
      events.map((event) => event.log_id!.split("-").at(-1)),
      ["1", "2", "3", "4", "5"],
    );
    assert.ok(
      events.every((event) => event.user === "root" && event.status === "failed" && event.ip === "203.0.113.9"),
    );
  });

  it("reads OpenSSH 10's sshd-session, a user name holding ' from ', and an empty user name", () => {
    assert.equal(
      eventOf("Dec  7 10:00:01 web-1 sshd-session[99]: Failed password for root from 203.0.113.9 port 1 ssh2").metadata
        ?.program,
      "sshd-session",
    );
    const tricky = eventOf(
      "Dec  7 10:00:01 web-1 sshd[99]: Failed password for invalid user x from 10.0.0.1 port 1 from 203.0.113.9 port 51234 ssh2",
    );
    assert.deepEqual([tricky.user, tricky.ip], ["x from 10.0.0.1 port 1", "203.0.113.9"]);
    assert.equal(
      eventOf("Dec  7 10:00:01 web-1 sshd[99]: Failed password for invalid user  from 203.0.113.9 port 51234 ssh2")
        .user,
      "(empty)",
    );
  });

  it("skips the lines that describe an attempt another line already gives", () => {
    for (const message of [
      "Invalid user admin from 203.0.113.9 port 51234",
      "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
      "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root",
      "error: maximum authentication attempts exceeded for root from 203.0.113.9 port 51234 ssh2 [preauth]",
      "Disconnecting authenticating user root 203.0.113.9 port 51234: Too many authentication failures [preauth]",
    ]) {
      assert.deepEqual(skipped(`Dec  7 10:00:01 web-1 sshd[1234]: ${message}`), { skipped: "same_attempt" }, message);
    }
  });

  it("skips sessions, disconnects, the `none` method and other programs as no security event", () => {
    for (const line of [
      "Dec  7 10:00:02 web-1 sshd[1240]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)",
      "Dec  7 10:00:02 web-1 sshd[1240]: Received disconnect from 10.0.0.2 port 50522:11: disconnected by user",
      "Dec  7 10:00:02 web-1 sshd[1240]: Failed none for invalid user admin from 203.0.113.9 port 51234 ssh2",
      "Dec  7 10:17:01 web-1 CRON[2001]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
      "Dec  7 10:17:01 web-1 systemd-logind[400]: New session 12 of user alice.",
      "Dec  7 10:17:01 web-1 systemd[1]: Started session-12.scope - Session 12 of User alice.",
    ]) {
      assert.deepEqual(skipped(line), { skipped: "no_security_event" }, line);
    }
  });
});

describe("sudo and su lines", () => {
  it("reads a command run with sudo as a success, keeping its target user and command", () => {
    const event = eventOf(
      "Dec  7 10:01:00 web-1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx",
    );
    assert.equal("ip" in event, false);
    assert.deepEqual([event.user, event.action, event.status], ["alice", "sudo_command", "success"]);
    assert.deepEqual(event.metadata, {
      host: "web-1",
      program: "sudo",
      target_user: "root",
      command: "/usr/bin/systemctl restart nginx",
      tty: "pts/0",
      pwd: "/home/alice",
    });
  });

  it("reads N incorrect password attempts as N failures, and refusals by policy as one", () => {
    const wrong = eventsOf(
      "Dec  7 10:01:00 web-1 sudo:      bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh -c id ; whoami",
    );
    assert.equal(wrong.length, 3);
    assert.deepEqual(
      [wrong[0]!.status, wrong[0]!.metadata?.reason, wrong[0]!.metadata?.command],
      ["failed", "incorrect password", "/bin/sh -c id ; whoami"],
    );
    assert.equal(
      eventsOf(
        "Dec  7 10:01:00 web-1 sudo:      bob : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls",
      ).length,
      1,
    );
    const refused = eventOf(
      "Dec  7 10:01:00 web-1 sudo:   mallory : user NOT in sudoers ; TTY=pts/2 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/bash",
    );
    assert.deepEqual([refused.status, refused.metadata?.reason], ["failed", "user NOT in sudoers"]);
  });

  it("skips sudo's PAM lines", () => {
    const pam =
      "Dec  7 10:01:00 web-1 sudo: pam_unix(sudo:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=bob";
    assert.deepEqual(skipped(pam), { skipped: "same_attempt" });
    assert.deepEqual(
      skipped(
        "Dec  7 10:01:00 web-1 sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)",
      ),
      { skipped: "no_security_event" },
    );
  });

  it("reads su's `(to root)` and `FAILED SU` lines, and skips its PAM lines", () => {
    const success = eventOf("Dec  7 10:02:00 web-1 su[3001]: (to root) alice on pts/0");
    assert.deepEqual(
      [success.user, success.action, success.status, success.metadata?.target_user, success.metadata?.tty],
      ["alice", "su_login", "success", "root", "pts/0"],
    );
    assert.equal(eventOf("Dec  7 10:02:05 web-1 su[3002]: FAILED SU (to root) bob on pts/1").status, "failed");
    assert.deepEqual(
      skipped(
        "Dec  7 10:02:00 web-1 su[3001]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1000)",
      ),
      { skipped: "same_attempt" },
    );
    assert.deepEqual(
      skipped(
        "Dec  7 10:02:05 web-1 su[3002]: pam_unix(su:auth): authentication failure; logname=bob uid=1001 euid=0 tty=/dev/pts/1 ruser=bob rhost=  user=root",
      ),
      { skipped: "same_attempt" },
    );
    assert.deepEqual(skipped("Dec  7 10:09:00 web-1 su[3001]: pam_unix(su:session): session closed for user root"), {
      skipped: "no_security_event",
    });
  });
});

describe("formats and times", () => {
  const failed = "sshd[4411]: Failed password for root from 203.0.113.9 port 51234 ssh2";

  it("gives a Dec 31 line received on Jan 1 the year before", () => {
    const event = eventOf(`Dec 31 23:59:58 web-1 ${failed}`, { receivedAt: new Date("2027-01-01T00:00:03Z") });
    assert.equal(event.timestamp, "2026-12-31T23:59:58.000Z");
    assert.equal(
      eventOf(`Jan  1 00:00:01 web-1 ${failed}`, { receivedAt: new Date("2027-01-01T00:00:03Z") }).timestamp,
      "2027-01-01T00:00:01.000Z",
    );
  });

  it("reads a BSD time in the given zone, summer and winter", () => {
    assert.equal(
      eventOf(`Jul 14 10:00:00 web-1 ${failed}`, { ...RECEIVED, timeZone: "Europe/Paris" }).timestamp,
      "2026-07-14T08:00:00.000Z",
    );
    assert.equal(
      eventOf(`Dec  7 10:00:00 web-1 ${failed}`, { ...RECEIVED, timeZone: "Europe/Paris" }).timestamp,
      "2026-12-07T09:00:00.000Z",
    );
    assert.equal(
      eventOf(`Dec  7 10:00:00 web-1 ${failed}`, { ...RECEIVED, timeZone: "America/New_York" }).timestamp,
      "2026-12-07T15:00:00.000Z",
    );
  });

  it("reads a line with a PRI, RFC 5424 lines (structured data, a BOM, nil fields, syslog-ng's journald variant) and an RFC 3339-stamped line", () => {
    assert.equal(eventOf(`<38>Dec  7 10:00:00 web-1 ${failed}`).source, "web-1");
    const rfc5424 = eventOf(
      '<38>1 2026-12-07T10:00:00.123Z web-2 sshd 4411 ID47 [origin ip="10.1.1.1"][x a="q\\"]"] \uFEFFAccepted password for alice from 10.0.0.2 port 50522 ssh2',
    );
    assert.deepEqual(
      [rfc5424.timestamp, rfc5424.source, rfc5424.metadata?.pid, rfc5424.status],
      ["2026-12-07T10:00:00.123Z", "web-2", 4411, "success"],
    );
    const nil = eventOf(
      "<38>1 2026-12-07T10:00:00Z - sshd - - - Failed password for root from 203.0.113.9 port 1 ssh2",
    );
    assert.deepEqual(["source" in nil, "pid" in (nil.metadata ?? {})], [false, false]);
    const journald = eventOf(
      "<86>1 2026-12-07T10:00:02+00:00 web-2 sudo - - -    alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id",
    );
    assert.deepEqual(
      [journald.user, journald.action, journald.metadata?.command],
      ["alice", "sudo_command", "/bin/id"],
    );
    const rsyslog = eventOf(`2026-12-07T10:00:00.123456+01:00 web-3 ${failed}`);
    assert.deepEqual([rsyslog.timestamp, rsyslog.source], ["2026-12-07T10:00:00.123456+01:00", "web-3"]);
  });

  it("skips what is not a syslog line, a line without a time and a day that does not exist", () => {
    for (const line of [
      "hello world",
      "<38>1 - web-2 sshd 1 - - Failed password for root from 203.0.113.9 port 1 ssh2",
      `Feb 30 10:00:00 web-1 ${failed}`,
      `Dec  7 25:00:00 web-1 ${failed}`,
      `2026-02-30T10:00:00Z web-1 ${failed}`,
      `<38>1 2026-04-31T10:00:00Z web-1 sshd 1 - - Failed password for root from 203.0.113.9 port 1 ssh2`,
    ]) {
      assert.deepEqual(skipped(line), { skipped: "not_syslog" }, line);
    }
  });
});

describe("log_ids and limits", () => {
  const line = "Dec  7 10:00:01 web-1 sshd[1234]: Failed password for root from 203.0.113.9 port 51234 ssh2";

  it("numbers identical lines within one text, and gives the same ids to the same text read again", () => {
    const text = `${line}\n${line}\r\nDec  7 10:00:01 web-1 sshd[1234]: message repeated 2 times: [ Failed password for root from 203.0.113.9 port 51234 ssh2]\n\n`;
    const first = readSyslogText(text, RECEIVED);
    assert.deepEqual(first.lines, [1, 2, 3, 3]);
    const ids = first.events.map((event) => event.log_id);
    assert.equal(new Set(ids).size, 4);
    assert.equal(ids[0]!.replace(/-1$/, "-2"), ids[1]);
    assert.deepEqual(
      readSyslogText(text, { receivedAt: new Date("2026-12-20T00:00:00Z") }).events.map((event) => event.log_id),
      ids,
    );
    assert.equal(first.lineCount, 3);
  });

  it("gives the same BSD line another log_id in another year", () => {
    const now = new SyslogReader(RECEIVED).read(line);
    const nextYear = new SyslogReader({ receivedAt: new Date("2027-12-08T00:00:00Z") }).read(line);
    assert.ok("events" in now && "events" in nextYear);
    assert.notEqual(now.events[0]!.log_id, nextYear.events[0]!.log_id);
  });

  it("counts skipped lines by reason", () => {
    const text = [
      "garbage",
      "Dec  7 10:17:01 web-1 CRON[1]: pam_unix(cron:session): session closed for user root",
      "Dec  7 10:00:01 web-1 sshd[1]: Invalid user a from 203.0.113.9 port 1",
      line,
    ].join("\n");
    assert.deepEqual(readSyslogText(text, RECEIVED).skipped, { not_syslog: 1, no_security_event: 1, same_attempt: 1 });
  });

  it("keeps an overlong line, user and command within the log limits, and replaces NUL", () => {
    const long = eventOf(
      `Dec  7 10:00:01 web-1 sshd[1]: Failed password for invalid user ${"u".repeat(300)} from 203.0.113.9 port 1 ssh2 ${"x".repeat(9000)}`,
    );
    assert.equal(long.user.length, 256);
    assert.equal(long.message!.length, 8192);
    assert.equal(long.metadata?.message_truncated, true);
    const command = eventOf(
      `Dec  7 10:01:00 web-1 sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/echo ${"y".repeat(2000)}`,
    );
    assert.equal(String(command.metadata?.command).length, 1024);
    assert.equal(
      eventOf("Dec  7 10:00:01 web-1 sshd[1]: Failed password for invalid user a\u0000b from 203.0.113.9 port 1 ssh2")
        .user,
      "a\uFFFDb",
    );
  });
});
