// What every ingestion route (our JSON, and the shippers' protocols) does
// around storing: the per-key rate limit first, then the key's bindings, then
// ingestion signed with who sent the logs. One place, so no protocol skips a step.
import type { Db } from "mongodb";
import { reservedIdPrefixes } from "@/lib/records/auth/api-keys";
import { applyKeyBindings, checkKeyBindings, type BindingProblem } from "@/lib/records/auth/key-bindings";
import { RateQuota } from "@/lib/records/auth/rate-quota";
import { getConfig } from "@/lib/foundation/config";
import { withinBudget, type DatabaseBudget } from "@/lib/platform/db/time-budget";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { ingestLogs, type IngestOptions, type IngestResult } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { ingestedByOf } from "./actor";
import { ApiError } from "@/lib/platform/http/errors";
import type { Principal } from "./principal";

const RATE_WINDOW_MS = 60_000;
const ingestQuota = new RateQuota();

/** Counts the request against its API key's per-minute limit; 429 with Retry-After beyond it, before the body is read. */
export async function admitIngestRequest(db: Db, principal: Principal, budget: DatabaseBudget): Promise<void> {
  if (principal.kind !== "api_key") return;
  const limit = getConfig().ingestRateLimitPerMinute;
  const decision = await budget.spend(
    ingestQuota.consume(db, `ingest:key:${principal.apiKey.id}`, { limit, windowMs: RATE_WINDOW_MS }),
  );
  if (!decision.allowed) {
    throw new ApiError(
      "rate_limited",
      `This API key sent more than ${limit} requests in a minute; nothing from this request was stored.`,
      undefined,
      {
        "Retry-After": String(decision.retryAfterSeconds),
      },
    );
  }
}

/** The options that sign and store what this principal sends. */
export function ingestOptionsFor(principal: Principal, budget?: DatabaseBudget): IngestOptions {
  return {
    keyring: getKeyring(),
    maxFutureSkewMs: getConfig().ingestMaxFutureSkewMs,
    ingestedBy: ingestedByOf(principal),
    budget,
  };
}

/** All or nothing: the key's bindings hold for every log (else 403/400 naming each), then every log is stored. */
export async function ingestForPrincipal(
  db: Db,
  principal: Principal,
  inputs: LogInput[],
  budget: DatabaseBudget,
): Promise<IngestResult> {
  const bound =
    principal.kind === "api_key"
      ? applyKeyBindings(principal.apiKey, inputs, await budget.spend(reservedIdPrefixes(db)))
      : inputs;
  return ingestLogs(db, bound, ingestOptionsFor(principal, budget));
}

/** Per item, for protocols that answer each log on its own: the inputs as the key may store them, and the items it may not. */
export async function keyBindingsPerItem(
  db: Db,
  principal: Principal,
  inputs: LogInput[],
  budget?: DatabaseBudget,
): Promise<{ inputs: LogInput[]; problems: BindingProblem[] }> {
  if (principal.kind !== "api_key") return { inputs, problems: [] };
  return checkKeyBindings(principal.apiKey, inputs, await withinBudget(budget, reservedIdPrefixes(db)));
}
