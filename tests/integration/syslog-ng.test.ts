// The real syslog-ng, run with deploy/syslog-ng/ledgerline.conf, tails an
// auth.log and posts it over HTTP to POST /api/logs/syslog (the route handler
// behind a small loopback server): each attempt (sshd, sudo) arrives once, the next
// checkpoint raises the brute force as an alert, and restarts send nothing twice.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST } from "@/app/api/logs/syslog/route";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { ensureSyslogNg } from "@/scripts/lib/syslog-ng";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { assertCheckpointRaisesBurst, authLogLine, bruteForceLines } from "./support/auth-log";

setupAppDatabase("syslog_ng");

const CONFIG = path.resolve("deploy/syslog-ng/ledgerline.conf");
const HOST = "bastion-ng";
const ATTACKER = "203.0.113.77";
const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-syslog-ng-"));
const authLog = path.join(dir, "auth.log");
const syslogNg = ensureSyslogNg();

type Delivery = { lines: string[]; status: number; accepted: number; duplicates: number };
const deliveries: Delivery[] = [];

// The route handler over real HTTP, as `next start` would serve it.
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    const body = Buffer.concat(chunks);
    const headers = Object.entries(request.headers).flatMap(([name, value]) =>
      typeof value === "string" ? [[name, value] as [string, string]] : [],
    );
    const answer = await POST(
      new Request(`http://localhost${request.url}`, { method: request.method, headers, body }),
      { params: Promise.resolve({}) },
    );
    const text = await answer.text();
    const result = answer.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : {};
    deliveries.push({
      lines: body.toString().split("\n"),
      status: answer.status,
      accepted: result.accepted ?? 0,
      duplicates: result.duplicates ?? 0,
    });
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" }).end(text);
  });
});

let db: Db;
let key: string;
let running: ChildProcess | undefined;
let output = "";

before(async () => {
  db = await getDb();
  key = await createTestApiKey(db, ["ingest"]);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});

after(async () => {
  await stopSyslogNg();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function startSyslogNg(): void {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/logs/syslog?tz=UTC`;
  const state = ["--persist-file", "--pidfile", "--control"].map(
    (flag, index) => `${flag}=${path.join(dir, ["persist", "pid", "ctl"][index]!)}`,
  );
  running = spawn(syslogNg.binary, [...syslogNg.args, "-F", "-e", "-f", CONFIG, ...state], {
    env: {
      ...process.env,
      ...syslogNg.env,
      LEDGERLINE_URL: url,
      LEDGERLINE_API_KEY: key,
      LEDGERLINE_AUTH_LOG: authLog,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  running.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
}

async function stopSyslogNg(): Promise<void> {
  if (!running || running.exitCode !== null) return;
  const exited = once(running, "exit");
  running.kill("SIGTERM");
  await exited;
}

async function until(what: string, isDone: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isDone())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; syslog-ng said:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const storedCount = () => logsCollection(db).countDocuments({ source: HOST });
const sum = (field: "accepted" | "duplicates", from = 0) =>
  deliveries.slice(from).reduce((total, delivery) => total + delivery[field], 0);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_500));

describe("syslog-ng shipping auth.log to POST /api/logs/syslog", () => {
  const start = new Date(Date.now() - 10 * 60_000);
  const login = (seconds: number, port: number) =>
    authLogLine(
      new Date(start.getTime() + seconds * 1_000),
      HOST,
      `sshd[${3000 + port}]`,
      `Accepted publickey for deploy from 10.0.0.9 port ${port} ssh2: ED25519 SHA256:k`,
    );

  it("delivers each attempt of the file once, and the next checkpoint raises the brute force", async () => {
    const sudo = authLogLine(
      new Date(start.getTime() + 35_000),
      HOST,
      "sudo",
      "  deploy : TTY=pts/0 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl reload nginx",
    );
    const noise = authLogLine(start, HOST, "CRON[9]", "pam_unix(cron:session): session closed for user root");
    writeFileSync(
      authLog,
      `${[...bruteForceLines(start, HOST, ATTACKER, 6), login(30, 41000), sudo, noise].join("\n")}\n`,
    );
    startSyslogNg();
    await until("8 stored logs", async () => (await storedCount()) === 8);
    await settle();
    assert.equal(await storedCount(), 8);
    assert.deepEqual([sum("accepted"), sum("duplicates")], [8, 0]);
    assert.ok(
      deliveries.every((delivery) => delivery.status < 300),
      JSON.stringify(deliveries),
    );
    const failures = await logsCollection(db).find({ source: HOST, status: "failed" }).toArray();
    assert.deepEqual(
      [failures.length, new Set(failures.map((log) => log.ip)).size, failures[0]?.user],
      [6, 1, "admin"],
    );

    await assertCheckpointRaisesBurst(db, ATTACKER, 6);
  });

  it("sends only what was appended after a restart (its persist file)", async () => {
    await stopSyslogNg();
    const earlier = deliveries.length;
    appendFileSync(authLog, `${login(40, 41001)}\n`);
    startSyslogNg();
    await until("the appended login", async () => (await storedCount()) === 9);
    await settle();
    assert.deepEqual(
      deliveries
        .slice(earlier)
        .flatMap((delivery) => delivery.lines)
        .filter((line) => line !== ""),
      [login(40, 41001)],
    );
    assert.equal(await storedCount(), 9);
  });

  it("stores nothing twice when the whole file comes again (Ledgerline's log_ids)", async () => {
    await stopSyslogNg();
    rmSync(path.join(dir, "persist"));
    const earlier = deliveries.length;
    startSyslogNg();
    await until("the file sent again", async () => sum("duplicates", earlier) === 9);
    await settle();
    assert.deepEqual([sum("accepted", earlier), sum("duplicates", earlier), await storedCount()], [0, 9, 9]);
  });

  it("takes the journald variant of the configuration", () => {
    const variant = readFileSync(CONFIG, "utf8")
      .replace(/^log \{ source\(s_ledgerline_auth_log\).*$/m, "")
      .replace(/^# ((?:source|filter|rewrite|log) .*)$/gm, "$1");
    assert.match(
      variant,
      /^log \{ source\(s_ledgerline_journal\); filter\(f_ledgerline_auth\); rewrite\(r_ledgerline_line\)/m,
    );
    const file = path.join(dir, "journald.conf");
    writeFileSync(file, variant);
    const env = {
      ...process.env,
      ...syslogNg.env,
      LEDGERLINE_URL: "http://127.0.0.1:9/api/logs/syslog",
      LEDGERLINE_API_KEY: key,
    };
    const result = spawnSync(syslogNg.binary, [...syslogNg.args, "--syntax-only", "-f", file], {
      env,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
  });
});
