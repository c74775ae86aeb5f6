// npm run keys – generate an HMAC signing key for LEDGERLINE_HMAC_KEYS
import { z } from "zod";
import { generateKeySpec } from "@/lib/integrity/keyring";
import { runCli } from "./lib/cli";
import { defaultKeyId } from "./lib/local-secrets";

runCli({
  usage: `Usage: npm run keys -- generate [--id KEY_ID]

Prints a new signing key as "KEY_ID:SECRET". To rotate, put it first in
LEDGERLINE_HMAC_KEYS (or name it in LEDGERLINE_HMAC_ACTIVE_KEY) and keep the
old keys listed after it, so that logs signed with them stay verifiable.`,
  allowPositionals: true,
  options: { id: { type: "string" } },
  schema: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, '_' or '-'").optional() }),
  main: async ({ id }, positionals) => {
    if (positionals.length !== 1 || positionals[0] !== "generate") {
      console.error("error: the only command is generate (see --help)");
      return 2;
    }
    console.log(generateKeySpec(id ?? defaultKeyId()));
  },
});
