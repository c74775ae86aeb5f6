// The real rsyslog (Debian's rsyslogd with omelasticsearch) running
// deploy/rsyslog/ledgerline.conf in the foreground, tailing a generated
// auth.log into the bulk API: served here by a small HTTP server that hands
// each request to the route handlers. Each event arrives once, the next
// checkpoint raises the brute force, and a restarted rsyslog sends only what
// it had not sent.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST as bulk } from "@/app/%5Fbulk/route";
import { GET as catHealth } from "@/app/%5Fcat/health/route";
import { POST as indexBulk } from "@/app/[index]/%5Fbulk/route";
import { GET as root } from "@/app/api/elasticsearch/route";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { RSYSLOGD_PATH } from "@/scripts/lib/rsyslog";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { assertCheckpointRaisesBurst, authLogLine, bruteForceLines } from "./support/auth-log";

setupAppDatabase("rsyslog");

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type BulkItemAnswer = { _id: string | null; status: number; result?: string };

const ROUTES: { method: string; path: RegExp; handler: Handler }[] = [
  { method: "POST", path: /^\/_bulk$/, handler: bulk },
  { method: "POST", path: /^\/(?<index>[^/_][^/]*)\/_bulk$/, handler: indexBulk },
  { method: "GET", path: /^\/_cat\/health$/, handler: catHealth },
  { method: "GET", path: /^\/$/, handler: root },
];

/** Every bulk item rsyslog sent, as answered. */
const answered: BulkItemAnswer[] = [];

async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url!, "http://localhost");
  const method = incoming.method === "HEAD" ? "GET" : incoming.method!;
  const route = ROUTES.find((candidate) => candidate.method === method && candidate.path.test(url.pathname));
  if (!route) {
    outgoing.writeHead(404).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const request = new Request(url, {
    method,
    headers,
    ...(method !== "GET" && { body: new Uint8Array(Buffer.concat(chunks)) }),
  });
  const groups = route.path.exec(url.pathname)!.groups;
  // As Next calls them: a route without dynamic segments gets no params at all.
  const response = await route.handler(request, {
    params: (groups ? Promise.resolve({ ...groups }) : undefined) as Promise<Record<string, string>>,
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (url.pathname.endsWith("/_bulk") && response.ok) {
    for (const item of JSON.parse(body.toString()).items) answered.push(Object.values(item)[0] as BulkItemAnswer);
  }
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(incoming.method === "HEAD" ? undefined : body);
}

const HOST = "web-1";
const ATTACKER = "203.0.113.66";
const start = new Date(Date.now() - 10 * 60_000);
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

const BURST = bruteForceLines(start, HOST, ATTACKER, 6);
const LOGIN = authLogLine(
  at(90),
  HOST,
  "sshd[3000]",
  "Accepted publickey for alice from 198.51.100.7 port 50000 ssh2: ED25519 SHA256:abc",
);
const CRON = authLogLine(
  at(95),
  HOST,
  "CRON[3100]",
  "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
);
const LATER_LOGIN = authLogLine(
  at(120),
  HOST,
  "sshd[3200]",
  "Accepted password for bob from 198.51.100.8 port 50001 ssh2",
);

let db: Db;
let dir: string;
let authLog: string;
let env: NodeJS.ProcessEnv;
let rsyslog: { child: ChildProcess; output: string[] } | undefined;
const server = createServer((incoming, outgoing) => {
  serve(incoming, outgoing).catch((error: unknown) => outgoing.writeHead(500).end(String(error)));
});

function startRsyslog(): void {
  const output: string[] = [];
  const child = spawn(
    RSYSLOGD_PATH,
    ["-n", "-f", path.resolve("deploy/rsyslog/ledgerline.conf"), "-i", path.join(dir, "rsyslogd.pid")],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  rsyslog = { child, output };
}

async function stopRsyslog(): Promise<void> {
  const running = rsyslog;
  rsyslog = undefined;
  if (!running || running.child.exitCode !== null) return;
  const exited = new Promise((resolve) => running.child.once("exit", resolve));
  running.child.kill("SIGTERM");
  await exited;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      assert.fail(`${what} within ${timeoutMs / 1000} s; rsyslogd said: ${rsyslog?.output.join("") || "nothing"}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const storedFromHost = () => logsCollection(db).countDocuments({ source: HOST });

before(async () => {
  db = await getDb();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  dir = mkdtempSync(path.join(tmpdir(), "ledgerline-rsyslog-"));
  authLog = path.join(dir, "auth.log");
  writeFileSync(authLog, `${[...BURST, LOGIN, CRON].join("\n")}\n`);
  env = {
    ...process.env,
    LEDGERLINE_HOST: "127.0.0.1",
    LEDGERLINE_PORT: String((server.address() as AddressInfo).port),
    LEDGERLINE_API_KEY: await createTestApiKey(db, ["ingest"]),
    LEDGERLINE_RSYSLOG_DIR: dir,
    LEDGERLINE_AUTH_LOG: authLog,
  };
});

after(async () => {
  await stopRsyslog();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("rsyslog shipping auth.log with deploy/rsyslog/ledgerline.conf", () => {
  it("delivers each event of a brute force and a login exactly once, and lines that record nothing as noops", async () => {
    startRsyslog();
    await waitFor("7 events stored", async () => (await storedFromHost()) >= 7 && answered.length >= BURST.length + 2);
    assert.equal(await storedFromHost(), 7);
    assert.equal(await logsCollection(db).countDocuments({ source: HOST, ip: ATTACKER, status: "failed" }), 6);
    assert.equal(await logsCollection(db).countDocuments({ source: HOST, user: "alice", status: "success" }), 1);
    const created = answered.filter((item) => item.status === 201);
    assert.equal(created.length, 7);
    assert.equal(new Set(created.map((item) => item._id)).size, 7);
    assert.equal(
      answered.filter((item) => item.status === 200 && item.result === "noop").length,
      answered.length - 7,
      "the other lines are noops, not errors",
    );
  });

  it("raises the failure burst at the next checkpoint", async () => {
    await assertCheckpointRaisesBurst(db, ATTACKER, 6);
  });

  it("restarted, sends only the lines written since, nothing twice", async () => {
    await stopRsyslog();
    const before = answered.length;
    startRsyslog();
    appendFileSync(authLog, `${LATER_LOGIN}\n`);
    await waitFor(
      "the later login stored",
      async () => (await logsCollection(db).countDocuments({ source: HOST, user: "bob" })) === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(
      answered.slice(before).map((item) => item.status),
      [201],
      "only the new line was sent after the restart",
    );
    assert.equal(await storedFromHost(), 8);
  });
});
