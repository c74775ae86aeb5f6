// npm run apikey – create, list and revoke API keys
import { z } from "zod";
import { ApiKeyCreate, ApiKeyName, ApiKeyScopeList, BoundSource, IdPrefix } from "@/lib/records/auth/api-key-schemas";
import {
  createApiKey,
  DuplicateApiKeyNameError,
  IdPrefixTakenError,
  listApiKeys,
  revokeApiKey,
  type ApiKeySummary,
} from "@/lib/records/auth/api-keys";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";
import { formatTable } from "./lib/table";

const USAGE = `Usage:
  npm run apikey -- create --name NAME [--scope ingest,read] [--source S]... [--id-prefix P]... [--json]
  npm run apikey -- list [--json]
  npm run apikey -- revoke ID_OR_NAME [--json]

create   makes a key and prints it once; only its hash is stored. Scopes: ingest
         (POST /api/logs), read (read APIs); default ingest. Names are unique.
         --source (repeatable) binds the key to those sources: a log with
         another source gets 403, and with one source bound, a log without a
         source gets it. --id-prefix (repeatable, such as billing-) reserves
         log_ids starting with it for this key: other keys get 400.
list     shows every key with its scopes, creation, last use and revocation.
revoke   revokes a key by id or name; requests with it then get 401.`;

runCli({
  usage: USAGE,
  allowPositionals: true,
  options: {
    name: { type: "string" },
    scope: { type: "string" },
    source: { type: "string", multiple: true },
    "id-prefix": { type: "string", multiple: true },
    json: { type: "boolean" },
  },
  schema: z.object({
    name: ApiKeyName.optional(),
    scope: ApiKeyScopeList.optional(),
    source: z.array(BoundSource).optional(),
    "id-prefix": z.array(IdPrefix).optional(),
    json: z.boolean().default(false),
  }),
  main: async (args, positionals) => {
    const [command, target, ...extra] = positionals;
    if (extra.length > 0) return usage(`unexpected arguments: ${extra.join(" ")}`);
    if (command !== "create" && command !== "list" && command !== "revoke") {
      return usage(command ? `unknown command "${command}"` : "name a command");
    }
    if (command === "create" && !args.name) return usage("create needs --name NAME");
    if (command === "revoke" && !target) return usage("revoke needs the id or name of a key");
    try {
      const db = await getDb();
      switch (command) {
        case "create": {
          const input = ApiKeyCreate.parse({
            name: args.name,
            scopes: args.scope,
            sources: args.source,
            id_prefixes: args["id-prefix"],
          });
          const { summary, key } = await createApiKey(db, input, CLI_ACTOR);
          const { id, name, scopes, sources, id_prefixes } = summary;
          if (args.json) console.log(JSON.stringify({ id, name, scopes, sources, id_prefixes, key }));
          else
            console.log(
              `Created API key "${name}" (id ${id}, scopes ${scopes.join(",")}${bindingsText(summary)}).\n\n  ${key}\n\nStore it now: it is not shown again.`,
            );
          return;
        }
        case "list": {
          const keys = await listApiKeys(db);
          if (args.json) console.log(JSON.stringify(keys));
          else printTable(keys);
          return;
        }
        case "revoke": {
          const revoked = await revokeApiKey(db, target!, CLI_ACTOR);
          if (!revoked) {
            console.error(`error: no API key has the id or name "${target}"`);
            return EXIT_PROBLEM;
          }
          if (args.json) console.log(JSON.stringify(revoked));
          else console.log(`Revoked API key "${revoked.name}" (id ${revoked.id}).`);
          return;
        }
      }
    } catch (error) {
      if (error instanceof DuplicateApiKeyNameError || error instanceof IdPrefixTakenError) {
        console.error(`error: ${error.message}`);
        return EXIT_PROBLEM;
      }
      throw error;
    } finally {
      await closeMongoClient();
    }
  },
});

function usage(message: string): number {
  console.error(`error: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

function printTable(keys: ApiKeySummary[]): void {
  if (keys.length === 0) {
    console.log("No API keys yet. Create one with: npm run apikey -- create --name NAME");
    return;
  }
  const rows = keys.map((key) => [
    key.id,
    key.name,
    key.scopes.join(","),
    key.sources.join(",") || "any",
    key.id_prefixes.join(",") || "-",
    key.created_at.toISOString(),
    key.last_used_at?.toISOString() ?? "never",
    key.revoked_at ? `revoked ${key.revoked_at.toISOString()}` : "active",
  ]);
  const header = ["ID", "NAME", "SCOPES", "SOURCES", "ID PREFIXES", "CREATED", "LAST USED", "STATUS"];
  console.log(formatTable(header, rows));
}

function bindingsText({ sources, id_prefixes }: ApiKeySummary): string {
  return `${sources.length > 0 ? `, sources ${sources.join(",")}` : ""}${id_prefixes.length > 0 ? `, log_id prefixes ${id_prefixes.join(",")}` : ""}`;
}
