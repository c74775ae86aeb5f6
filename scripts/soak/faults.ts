// The soak's faults, at fixed fractions of the run: the database frozen
// (SIGSTOP) for 8 s, the database killed and restarted, one app instance
// killed mid-request and restarted; throughout, a client that sends one byte
// a second and clients that hang up halfway through a body.
import { connect, type Socket } from "node:net";
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import type { AppStack } from "../lib/app-stack";
import { sleep } from "./clients";

export const FREEZE_SECONDS = 8;

export type FaultPlan = { name: string; atSeconds: number; describe: string };
export type FaultRecord = {
  name: string;
  startedAt: string;
  startedAtSeconds: number;
  tookSeconds: number;
  detail: string;
};

export function faultPlan(seconds: number): FaultPlan[] {
  return [
    {
      name: "slow_client",
      atSeconds: round(seconds * 0.05),
      describe: "a client starts sending a body one byte a second, to the end of the run",
    },
    {
      name: "freeze_db",
      atSeconds: round(seconds * 0.15),
      describe: `the database is frozen (SIGSTOP) for ${FREEZE_SECONDS} s, then resumed`,
    },
    { name: "kill_db", atSeconds: round(seconds * 0.4), describe: "the database is killed (SIGKILL) and restarted" },
    {
      name: "kill_app",
      atSeconds: round(seconds * 0.65),
      describe: "instance 1 is killed (SIGKILL) while it serves a request, and restarted",
    },
    ...[0.1, 0.3, 0.5, 0.7, 0.9].map((fraction) => ({
      name: "hang_up",
      atSeconds: round(seconds * fraction),
      describe: "a client sends half a body, then disconnects",
    })),
  ];
}

export type FaultContext = {
  stack: AppStack;
  key: string;
  /** Requests being served by the instance at this URL now. */
  inFlight: (url: string) => number;
  /** Fresh logs, never sent by anyone else: a hung-up body's must not be stored. */
  freshLogs: (count: number) => GeneratedLogInput[];
  stopping: () => boolean;
  elapsedSeconds: () => number;
  /** Log ids of bodies cut off halfway. */
  cutOffIds: Set<string>;
};

export type SlowClientResult = { bytesSent: number; secondsOpen: number; ending: string };

/** Runs the plan; resolves when every fault is over (the slow client with the run). */
export async function runFaults(
  plan: FaultPlan[],
  context: FaultContext,
): Promise<{ faults: FaultRecord[]; slowClient: SlowClientResult | null }> {
  const faults: FaultRecord[] = [];
  let slowClient: Promise<SlowClientResult> | null = null;
  const timed = async (name: string, run: () => Promise<string>) => {
    const startedAt = new Date().toISOString();
    const startedAtSeconds = context.elapsedSeconds();
    const detail = await run().catch(
      (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    faults.push({
      name,
      startedAt,
      startedAtSeconds: round(startedAtSeconds),
      tookSeconds: round(context.elapsedSeconds() - startedAtSeconds),
      detail,
    });
  };
  const running: Promise<void>[] = [];
  for (const fault of [...plan].sort((a, b) => a.atSeconds - b.atSeconds)) {
    await sleep(Math.max(0, (fault.atSeconds - context.elapsedSeconds()) * 1000));
    if (context.stopping()) break;
    switch (fault.name) {
      case "slow_client":
        slowClient = sendSlowly(context);
        break;
      case "freeze_db":
        running.push(timed(fault.name, () => freezeDb(context.stack)));
        break;
      case "kill_db":
        running.push(timed(fault.name, () => killDb(context.stack)));
        break;
      case "kill_app":
        running.push(timed(fault.name, () => killAppMidRequest(context)));
        break;
      case "hang_up":
        running.push(timed(fault.name, () => hangUpMidBody(context)));
        break;
    }
    // Faults on the database and the instances do not overlap: each one's recovery is measured alone.
    if (fault.name !== "hang_up" && fault.name !== "slow_client") await running.at(-1);
  }
  await Promise.all(running);
  return { faults, slowClient: slowClient ? await slowClient : null };
}

async function freezeDb(stack: AppStack): Promise<string> {
  const pid = stack.db.process.pid!;
  process.kill(pid, "SIGSTOP");
  await sleep(FREEZE_SECONDS * 1000);
  process.kill(pid, "SIGCONT");
  return `pid ${pid} stopped ${FREEZE_SECONDS} s`;
}

async function killDb(stack: AppStack): Promise<string> {
  const started = performance.now();
  await stack.restartDb("SIGKILL");
  return `restarted on port ${stack.db.port} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

async function killAppMidRequest(context: FaultContext): Promise<string> {
  const index = Math.min(1, context.stack.apps.length - 1);
  const url = context.stack.apps[index]!.url;
  const deadline = Date.now() + 10_000;
  while (context.inFlight(url) === 0 && Date.now() < deadline) await sleep(5);
  const serving = context.inFlight(url);
  const started = performance.now();
  await context.stack.restartApp(index, "SIGKILL");
  return `instance ${index} killed with ${serving} request(s) in flight, serving again after ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** Headers and half of a JSON body, then the socket is destroyed. */
async function hangUpMidBody(context: FaultContext): Promise<string> {
  const logs = context.freshLogs(20);
  for (const log of logs) context.cutOffIds.add(log.log_id);
  const body = Buffer.from(JSON.stringify(logs));
  const socket = await openSocket(context.stack.apps[0]!.url);
  socket.write(requestHead(context.stack.apps[0]!.url, context.key, body.length));
  socket.write(body.subarray(0, body.length >> 1));
  await sleep(200);
  socket.destroy();
  return `sent ${body.length >> 1} of ${body.length} bytes, then hung up`;
}

/** A valid batch, one byte a second, until the server ends it or the run stops. */
async function sendSlowly(context: FaultContext): Promise<SlowClientResult> {
  const logs = context.freshLogs(5);
  for (const log of logs) context.cutOffIds.add(log.log_id);
  const body = Buffer.from(JSON.stringify(logs));
  const url = context.stack.apps[0]!.url;
  const opened = performance.now();
  const socket = await openSocket(url);
  let answer = "";
  let closed = false;
  socket.on("data", (chunk) => (answer += chunk.toString()));
  socket.on("close", () => (closed = true));
  socket.on("error", () => {});
  socket.write(requestHead(url, context.key, body.length));
  let bytesSent = 0;
  while (!closed && !context.stopping() && bytesSent < body.length) {
    socket.write(body.subarray(bytesSent, bytesSent + 1));
    bytesSent++;
    await sleep(1000);
  }
  const secondsOpen = round((performance.now() - opened) / 1000);
  const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
  const ending = closed
    ? status
      ? `the server answered ${status} and closed`
      : "the server closed the connection"
    : "still open at the end of the run";
  socket.destroy();
  return { bytesSent, secondsOpen, ending };
}

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

function requestHead(url: string, key: string, length: number): string {
  return `POST /api/logs HTTP/1.1\r\nHost: ${new URL(url).host}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
