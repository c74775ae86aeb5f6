// The soak's senders: each takes the next batch of one shared, time-ordered
// stream of generated logs and posts it in one of the ways shippers do (our
// JSON array or NDJSON, the Elasticsearch bulk API, OTLP/HTTP JSON, syslog
// lines) until the answer says every log was taken, as a real client does:
// the same body again after a network error, a 5xx or a 429, waiting what
// Retry-After says, moving to the next instance as a load balancer would.
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import { readSyslogText } from "@/lib/records/syslog/parse-lines";
import { encodeBatch, type EncodedBatch } from "../bench/protocols";
import type { SoakStats } from "./stats";

export const SENDER_FORMATS = ["json", "ndjson", "bulk", "otlp", "syslog"] as const;
export type SenderFormat = (typeof SENDER_FORMATS)[number];

/** A request that has not answered after this long is counted as hung, aborted and sent again. */
export const HUNG_AFTER_MS = 15_000;
const MAX_BATCH = 40;
const BACKOFF_MS = [100, 200, 400, 800, 1_600, 3_200];

export type SenderContext = {
  /** The instances' base URLs, read on every attempt (an instance restarts on its port). */
  urls: () => string[];
  keys: string[];
  nextLogs: (count: number) => GeneratedLogInput[];
  stats: SoakStats;
  /** True once senders should stop taking new batches. */
  stopping: () => boolean;
  /** After this time a batch still not taken is given up (and reported). */
  giveUpAt: () => number;
};

type Attempt = { status: number; body: unknown; retryAfterMs?: number } | { error: string };

export async function runSender(index: number, context: SenderContext): Promise<void> {
  const key = context.keys[index % context.keys.length]!;
  let instance = index;
  let batchNumber = 0;
  while (!context.stopping()) {
    const format = SENDER_FORMATS[(index + batchNumber++) % SENDER_FORMATS.length]!;
    const logs = context.nextLogs(1 + ((index * 7 + batchNumber * 13) % MAX_BATCH));
    if (logs.length === 0) return;
    const batch = encode(format, logs);
    const ids = expectedIds(format, batch, logs);
    context.stats.sent(ids);
    for (let attempt = 0; ; attempt++) {
      const urls = context.urls();
      const url = urls[instance % urls.length]!;
      const answer = await post(url, key, batch, context.stats);
      context.stats.attempted(
        ids,
        `${format} to ${url.slice(url.lastIndexOf(":") + 1)}: ${"status" in answer ? `${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}` : answer.error}`,
      );
      if ("status" in answer && taken(format, answer, logs.length)) {
        context.stats.acknowledged(ids, duplicatesIn(format, answer));
        break;
      }
      if (Date.now() > context.giveUpAt()) {
        context.stats.gaveUp(ids);
        break;
      }
      // A refusal that is not about load or availability will not change on retry: a bug in the sender or the app.
      if ("status" in answer && answer.status < 500 && answer.status !== 429) {
        context.stats.refused(format, answer.status, answer.body);
        break;
      }
      instance++;
      const wait =
        "status" in answer && answer.retryAfterMs !== undefined
          ? answer.retryAfterMs
          : BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      await sleep(wait);
    }
  }
}

function encode(format: SenderFormat, logs: GeneratedLogInput[]): EncodedBatch {
  if (format === "ndjson") {
    return {
      path: "/api/logs",
      contentType: "application/x-ndjson",
      body: logs.map((log) => `${JSON.stringify(log)}\n`).join(""),
    };
  }
  return encodeBatch(format, logs);
}

/** The log ids the server will store the batch under: the sender's own, or for syslog those made from each line. */
function expectedIds(format: SenderFormat, batch: EncodedBatch, logs: GeneratedLogInput[]): string[] {
  if (format !== "syslog") return logs.map((log) => log.log_id);
  return readSyslogText(batch.body, { receivedAt: new Date() }).events.map((event) => event.log_id!);
}

async function post(url: string, key: string, batch: EncodedBatch, stats: SoakStats): Promise<Attempt> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), HUNG_AFTER_MS);
  stats.begin(url);
  try {
    const response = await fetch(`${url}${batch.path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": batch.contentType },
      body: batch.body,
      signal: controller.signal,
    });
    const text = await response.text();
    const retryAfter = Number(response.headers.get("retry-after"));
    stats.answered(
      response.status,
      errorCodeOf(text),
      performance.now() - started,
      response.headers.has("retry-after"),
    );
    return {
      status: response.status,
      body: parseJson(text),
      retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined,
    };
  } catch (error) {
    if (controller.signal.aborted)
      stats.hung(`${new Date(Date.now() - HUNG_AFTER_MS).toISOString()} ${url}${batch.path}`);
    else stats.networkError();
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    stats.end(url);
  }
}

/** Whether the answer says every log of the batch is stored (new or already there). */
function taken(format: SenderFormat, answer: { status: number; body: unknown }, count: number): boolean {
  const body = (answer.body ?? {}) as Record<string, unknown>;
  switch (format) {
    case "json":
    case "ndjson":
    case "syslog":
      return (
        (answer.status === 200 || answer.status === 201) && Number(body.accepted) + Number(body.duplicates) === count
      );
    case "bulk":
      return answer.status === 200 && body.errors === false && Array.isArray(body.items) && body.items.length === count;
    case "otlp":
      return (
        answer.status === 200 &&
        !(Number((body.partialSuccess as { rejectedLogRecords?: unknown } | undefined)?.rejectedLogRecords ?? 0) > 0)
      );
  }
}

/** Logs the answer says were stored by an earlier attempt; OTLP does not say. */
function duplicatesIn(format: SenderFormat, answer: { body: unknown }): number {
  const body = (answer.body ?? {}) as Record<string, unknown>;
  if (format === "bulk")
    return (body.items as Array<Record<string, { result?: string }>>).filter(
      (item) => Object.values(item)[0]?.result === "noop",
    ).length;
  return format === "otlp" ? 0 : Number(body.duplicates);
}

function errorCodeOf(text: string): string | undefined {
  const body = parseJson(text) as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
