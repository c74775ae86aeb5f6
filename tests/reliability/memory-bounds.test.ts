// One production instance over a store of 20,000 logs, under three hostile
// loads at once for a minute: two 100 MB bodies posted to POST /api/logs (one
// with Content-Length, one chunked), 200 clients each posting a body a byte a
// second, and 20 full exports (CSV and NDJSON, half read as fast as possible,
// half a chunk every half second). Meanwhile a probe asks GET /api/health and a
// page of GET /api/logs every 500 ms, and the instance's RSS is sampled from
// /proc. The bounds below come from measurements on a 2-core machine shared
// with other work (load average about 8), with room for that noise.
import assert from "node:assert/strict";
import { once } from "node:events";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs, seedNormalLogs } from "@/lib/features/generators/seed";
import { startAppStack, type AppStack } from "@/scripts/lib/app-stack";
import { readVmHwmKb, readVmRssKb, resetVmHwm } from "@/scripts/lib/process-memory";

const STORED_LOGS = 20_000;
const LOAD_MS = 60_000;
const BIG_BODY_BYTES = 100 * 1024 * 1024;
const SLOW_CLIENTS = 200;
const SLOW_BODY_BYTES = 100_000;
const EXPORTS = 20;
const SLOW_READ_INTERVAL_MS = 500;
const PROBE_INTERVAL_MS = 500;
const PROBE_TIMEOUT_MS = 30_000;

// At most EXPORT_CONCURRENCY (2) exports stream at once, and a verifiable NDJSON
// export holds the first 20,000 logs (32 MB of heap here) while it puts them in
// sequence order. Above idle (about 190 MB): all three loads together take
// +283 to +346 MB; the 20 exports alone +223 MB when all are CSV and +411 MB when
// all are NDJSON (the V8 heap keeps what two such exports churn through); 200
// slow clients alone +35 MB; the 100 MB bodies alone under +10 MB. Twenty
// exports without the limit pass +1 GB and grow with their number.
const RSS_ABOVE_IDLE_MB = 600;
// The probe's two requests take 0.15 to 0.35 s at the median and up to 2.3 s under
// this load on the shared machine; without the export limit 2.8 s at the median and
// up to 12.6 s, with a health check timing out (503).
const PROBE_MAX_MS = 8_000;
// What the client has handed to its socket when the 413 arrives: the kernel's
// buffers on both sides, never the whole body.
const REFUSED_WITHIN_BYTES = 16 * 1024 * 1024;

let stack: AppStack;
let key: string;
let idleRssMb: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const appUrl = () => stack.apps[0]!.url;
const appPid = () => stack.apps[0]!.pid;
const rssMb = () => (readVmRssKb(appPid()) ?? 0) / 1024;

before(async () => {
  stack = await startAppStack({ instances: 1, env: { INGEST_RATE_LIMIT_PER_MINUTE: "1000000" } });
  key = await stack.createApiKey(["ingest", "read"]);
  const db = await getDb();
  await seedNormalLogs(db, { count: STORED_LOGS, days: 7, randomSeed: 7 });
  // The search layout that CSV exports and pages read is derived at a checkpoint.
  await checkpointSeededLogs(db);
  // Every route the load uses is loaded once before the idle figure is taken.
  for (const path of [
    "/api/health",
    "/api/logs?limit=10",
    "/api/logs/export?format=csv&limit=10&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z",
  ]) {
    const response = await fetch(`${appUrl()}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200, path);
    await response.arrayBuffer();
  }
  await sleep(2_000);
  const samples: number[] = [];
  for (let i = 0; i < 10; i++, await sleep(200)) samples.push(rssMb());
  idleRssMb = Math.max(...samples);
});

after(async () => {
  await stack?.stop();
});

type ProbeResult = { ms: number; statuses: number[] };

/** GET /api/health and one page of GET /api/logs, every PROBE_INTERVAL_MS until `until`. */
async function probe(until: number): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  while (Date.now() < until) {
    const started = performance.now();
    const statuses = await Promise.all(
      ["/api/health", "/api/logs?limit=10"].map(async (path) => {
        try {
          const response = await fetch(`${appUrl()}${path}`, {
            headers: { Authorization: `Bearer ${key}` },
            signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          return response.status;
        } catch {
          return 0;
        }
      }),
    );
    results.push({ ms: performance.now() - started, statuses });
    await sleep(PROBE_INTERVAL_MS);
  }
  return results;
}

/** Posts a 100 MB body over a raw socket as fast as the server takes it; returns the answer's status line and the bytes handed to the socket by then. */
async function postHugeBody(chunked: boolean): Promise<{ statusLine: string; bytesSent: number }> {
  const socket = net.connect(Number(new URL(appUrl()).port), "127.0.0.1");
  socket.on("error", () => undefined); // the server may reset the connection after answering
  await once(socket, "connect");
  let answer = "";
  const answered = new Promise<void>((resolve) => {
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n")) resolve();
    });
    socket.on("close", () => resolve());
  });
  let isAnswered = false;
  void answered.then(() => (isAnswered = true));
  const length = chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${BIG_BODY_BYTES}`;
  socket.write(
    `POST /api/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\n${length}\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, " ");
  const framed = chunked
    ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
    : chunk;
  let bytesSent = 0;
  while (!isAnswered && bytesSent < BIG_BODY_BYTES) {
    bytesSent += chunk.length;
    if (!socket.write(framed)) await Promise.race([once(socket, "drain"), answered]);
  }
  if (!isAnswered && chunked) socket.write("0\r\n\r\n");
  await answered;
  socket.destroy();
  return { statusLine: answer.split("\r\n")[0] ?? "", bytesSent };
}

/** Clients that send their headers, then a byte a second of a 100 KB body, until `until`; returns how each ended. */
async function slowClients(until: number): Promise<string[]> {
  const endings = await Promise.all(
    Array.from({ length: SLOW_CLIENTS }, async () => {
      const socket = net.connect(Number(new URL(appUrl()).port), "127.0.0.1");
      socket.on("error", () => undefined);
      let answer = "";
      socket.on("data", (data: Buffer) => (answer += data.toString("latin1")));
      socket.write(
        `POST /api/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${SLOW_BODY_BYTES}\r\n\r\n`,
      );
      const ticker = setInterval(() => socket.writable && socket.write("["), 1_000);
      const closed = once(socket, "close").then(() => "closed");
      const ending = await Promise.race([closed, sleep(until - Date.now()).then(() => "open")]);
      clearInterval(ticker);
      socket.destroy();
      return ending === "open" ? "still open" : answer.split("\r\n")[0] || "closed without an answer";
    }),
  );
  return endings;
}

type ExportResult = {
  format: string;
  slow: boolean;
  status: number;
  code?: string;
  retryAfter: string | null;
  lines: number;
  complete: boolean;
};

/** A full export read as fast as possible or a chunk every SLOW_READ_INTERVAL_MS, cancelled at `until` if not over. */
async function fullExport(format: "csv" | "ndjson", slow: boolean, until: number): Promise<ExportResult> {
  const response = await fetch(`${appUrl()}/api/logs/export?format=${format}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const result: ExportResult = {
    format,
    slow,
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    lines: 0,
    complete: false,
  };
  if (response.status !== 200) {
    result.code = ((await response.json()) as { error?: { code: string } }).error?.code;
    return result;
  }
  const reader = response.body!.getReader();
  for (;;) {
    if (Date.now() >= until) {
      await reader.cancel();
      return result;
    }
    const { done, value } = await reader.read();
    if (done) return { ...result, complete: true };
    for (const byte of value) if (byte === 0x0a) result.lines++;
    if (slow) await sleep(SLOW_READ_INTERVAL_MS);
  }
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

describe("one instance under a 100 MB body, 200 slow clients and 20 full exports at once", () => {
  it("stays within its memory bound and keeps answering other requests", async () => {
    assert.ok(
      resetVmHwm(appPid()),
      "resetting the instance's peak RSS (/proc/PID/clear_refs) needs root or the same user",
    );
    let peakSampledMb = 0;
    const sampler = setInterval(() => (peakSampledMb = Math.max(peakSampledMb, rssMb())), 100);
    const until = Date.now() + LOAD_MS;
    const [probes, bodies, slow, exports] = await Promise.all([
      probe(until),
      Promise.all([postHugeBody(false), postHugeBody(true)]),
      slowClients(until),
      Promise.all(
        Array.from({ length: EXPORTS }, (_, i) => fullExport(i % 2 === 0 ? "csv" : "ndjson", i % 4 >= 2, until)),
      ),
    ]);
    clearInterval(sampler);
    const peakMb = Math.max(peakSampledMb, (readVmHwmKb(appPid()) ?? 0) / 1024);

    const latencies = probes.map((result) => result.ms);
    const figures = {
      idleRssMb: Math.round(idleRssMb),
      peakRssMb: Math.round(peakMb),
      probeP50Ms: Math.round(percentile(latencies, 0.5)),
      probeMaxMs: Math.round(Math.max(...latencies)),
      probes: probes.length,
      bigBodies: bodies.map(
        ({ statusLine, bytesSent }) => `${statusLine} after ${(bytesSent / 1048576).toFixed(1)} MB`,
      ),
      slowClients: tally(slow),
      exports: tally(
        exports.map(
          (e) =>
            `${e.format}${e.slow ? " slow" : ""} ${e.status}${e.code ? ` ${e.code}` : ""}${e.complete ? " complete" : ""}`,
        ),
      ),
    };
    console.log(`memory figures: ${JSON.stringify(figures)}`);

    for (const { statusLine, bytesSent } of bodies) {
      assert.match(statusLine, /^HTTP\/1\.1 413 /);
      assert.ok(bytesSent <= REFUSED_WITHIN_BYTES, `the 413 came after ${bytesSent} bytes were sent`);
    }
    // Node.js ends a request whose body is not in after requestTimeout (300 s); within the minute they stay open.
    assert.deepEqual(
      slow.filter((ending) => ending !== "still open" && !ending.includes(" 408 ")),
      [],
      "slow clients ended otherwise than by a 408",
    );
    for (const result of exports) {
      if (result.status === 200) continue;
      assert.deepEqual(
        [result.status, result.code, result.retryAfter],
        [503, "server_busy", "10"],
        "an export refused otherwise than as busy",
      );
    }
    const served = exports.filter((result) => result.status === 200);
    assert.ok(served.length >= 2, `${served.length} exports were served`);
    for (const result of served.filter((e) => e.complete))
      assert.ok(result.lines > STORED_LOGS, `a complete ${result.format} export held ${result.lines} lines`);
    assert.ok(
      served.some((result) => result.complete),
      "no export completed within the minute",
    );

    assert.deepEqual(
      probes.filter((result) => result.statuses.some((status) => status !== 200)),
      [],
      "probes answered otherwise than 200",
    );
    assert.ok(figures.probeMaxMs <= PROBE_MAX_MS, `a probe took ${figures.probeMaxMs} ms`);
    assert.ok(
      peakMb <= idleRssMb + RSS_ABOVE_IDLE_MB,
      `peak RSS ${Math.round(peakMb)} MB, idle ${Math.round(idleRssMb)} MB`,
    );
  });

  it("gives the export slots back when readers go away: the next export is served at once", async () => {
    const started = Date.now();
    const response = await fetch(
      `${appUrl()}/api/logs/export?format=csv&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`,
      {
        headers: { Authorization: `Bearer ${key}` },
      },
    );
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.doesNotThrow(() => process.kill(appPid(), 0), "the instance exited");
  });
});

function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
