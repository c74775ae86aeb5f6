// The production app ready to take logs over POST /api/logs, as the suites
// that send them start it: an API key with the ingest scope in the run's
// database, and ingestion's limits pinned, so that limits in .env.local cannot
// change a run.
import type { Db } from "mongodb";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { createApiKey } from "@/lib/records/auth/api-keys";
import { startNextApp, type NextApp } from "../lib/next-app";

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const RATE_LIMIT_PER_MINUTE = 1_000_000;

export type IngestApp = NextApp & { apiKey: string };
/** `env`: the run's (runEnv) and the suite's own settings; `maxItems`: the largest batch the suite sends. */
export type IngestAppOptions = { env: Record<string, string>; maxItems: number };

export async function startIngestApp(db: Db, { env, maxItems }: IngestAppOptions): Promise<IngestApp> {
  const { key } = await createApiKey(db, { name: "bench", scopes: ["ingest"] }, CLI_ACTOR);
  const app = await startNextApp({
    ...env,
    INGEST_MAX_ITEMS: String(maxItems),
    INGEST_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    INGEST_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
  });
  return { ...app, apiKey: key };
}

/** `body`: a JSON array of logs. */
export function postLogs(url: string, apiKey: string, body: string): Promise<Response> {
  return fetch(`${url}/api/logs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body,
  });
}
