// The OpenTelemetry Collector, built from the Go module proxy, runs the shipped
// deploy/otel-collector/config.yaml against a small HTTP server that hands each
// request to the POST /v1/logs route handler: lines appended to an auth.log
// become logs, sent by the collector as it really sends them.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { POST } from "@/app/v1/logs/route";
import { AUDIT_SOURCE } from "@/lib/records/logs/provenance";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestedByKey } from "@/lib/records/logs/provenance";
import { COLLECTOR_DIR, ensureCollector } from "@/scripts/lib/otel-collector";
import { findFreePort } from "@/scripts/lib/processes";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("otel_collector");

const READY_TIMEOUT_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 30_000;

let db: Db;
let keyId: string;
let workDir: string;
let authLog: string;
let server: Server;
let collector: ChildProcess;
let collectorOutput = "";
const received: {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  status: number;
  body: string;
}[] = [];
let inFlight = 0;

/** Hands the request to the route handler as Next.js would, and its answer back. */
async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
  const webRequest = new Request(`http://127.0.0.1${request.url}`, {
    method: request.method,
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
  inFlight++;
  try {
    const answer = await POST(webRequest, { params: Promise.resolve({}) });
    const body = Buffer.from(await answer.arrayBuffer());
    received.push({
      contentType: request.headers["content-type"],
      contentEncoding: request.headers["content-encoding"],
      status: answer.status,
      body: body.toString("latin1"),
    });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(body);
  } finally {
    inFlight--;
  }
}

function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = async () => {
      const value = await check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`timed out waiting for ${what}; collector said:\n${collectorOutput}`));
      setTimeout(poll, 200);
    };
    void poll();
  });
}

before(async () => {
  db = await getDb();
  const created = await createApiKey(db, { name: "otel-collector", scopes: ["ingest"] }, { user: "test" });
  keyId = created.summary.id;
  workDir = mkdtempSync(path.join(tmpdir(), "ledgerline-otelcol-test-"));
  authLog = path.join(workDir, "auth.log");
  // The collector starts at the end of a file it finds with lines in it: this one, so what the test appends is read.
  writeFileSync(authLog, "2026-12-07T11:00:00+00:00 bastion CRON[1]: (root) CMD (true)\n");

  const port = await findFreePort();
  server = createServer((request, response) => {
    forward(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

  collector = spawn(ensureCollector(), ["--config", path.join(COLLECTOR_DIR, "config.yaml")], {
    env: {
      ...process.env,
      LEDGERLINE_AUTH_LOG: authLog,
      LEDGERLINE_URL: `http://127.0.0.1:${port}`,
      LEDGERLINE_API_KEY: created.key,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [collector.stdout!, collector.stderr!])
    stream.on("data", (chunk: Buffer) => (collectorOutput += chunk.toString()));
  await waitFor("the collector to watch auth.log", READY_TIMEOUT_MS, () =>
    collectorOutput.includes("Started watching file") ? true : undefined,
  );
});

after(async () => {
  collector?.kill("SIGTERM");
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  rmSync(workDir, { recursive: true, force: true });
});

describe("the OpenTelemetry Collector with deploy/otel-collector/config.yaml", () => {
  it("sends sshd's sign-ins from auth.log in protobuf, stored as logs, and leaves other lines out", async () => {
    appendFileSync(
      authLog,
      [
        "2026-12-07T11:40:18.123456+00:00 bastion sshd[812]: Failed password for invalid user admin from 203.0.113.5 port 52144 ssh2",
        "2026-12-07T11:40:19.000001+00:00 bastion sshd[812]: Accepted publickey for alice from 2001:db8::7 port 50022 ssh2: ED25519 SHA256:abc",
        "2026-12-07T11:40:20.5+00:00 bastion CRON[900]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
        "2026-12-07T11:40:21+00:00 bastion sshd-session[813]: Failed password for root from 203.0.113.5 port 52145 ssh2",
        "",
      ].join("\n"),
    );
    const logs = await waitFor("three logs from sshd, their requests answered", DELIVERY_TIMEOUT_MS, async () => {
      const found = await logsCollection(db).find({ source: "sshd" }).sort({ timestamp: 1 }).toArray();
      return found.length >= 3 && inFlight === 0 ? found : undefined;
    });
    assert.deepEqual(
      logs.map((log) => [
        log.timestamp,
        log.ip,
        log.user,
        log.action,
        log.status,
        log.metadata?.ssh_auth_method,
        log.metadata?.host_name,
      ]),
      [
        ["2026-12-07T11:40:18.123456Z", "203.0.113.5", "admin", "ssh_login", "failed", "password", "bastion"],
        ["2026-12-07T11:40:19.000001Z", "2001:db8::7", "alice", "ssh_login", "success", "publickey", "bastion"],
        ["2026-12-07T11:40:21.000Z", "203.0.113.5", "root", "ssh_login", "failed", "password", "bastion"],
      ],
    );
    assert.ok(logs.every((log) => log.ingested_by === ingestedByKey(keyId)));
    assert.equal(await logsCollection(db).countDocuments({ source: { $ne: AUDIT_SOURCE } }), 3);
    assert.ok(
      received.length > 0 &&
        received.every(
          ({ contentType, contentEncoding, status }) =>
            contentType === "application/x-protobuf" && contentEncoding === "gzip" && status === 200,
        ),
      JSON.stringify(received),
    );
  });
});
