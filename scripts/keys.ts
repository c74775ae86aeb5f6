// npm run keys – generate an HMAC signing key for LEDGERLINE_HMAC_KEYS, or an age key pair for encrypted backups
import { writeFileSync } from "node:fs";
import { z } from "zod";
import { generateAgeKeyPair } from "@/lib/features/backup/age";
import { generateKeySpec } from "@/lib/records/integrity/keyring";
import { OWNER_ONLY_FILE } from "@/lib/foundation/util/owner-only-files";
import { EXIT_USAGE, runCli } from "./lib/cli";
import { defaultKeyId } from "./lib/local-secrets";

runCli({
  usage: `Usage: npm run keys -- generate [--id KEY_ID]
       npm run keys -- age [--out FILE]

generate prints a new signing key as "KEY_ID:SECRET". To rotate, put it first in
LEDGERLINE_HMAC_KEYS (or name it in LEDGERLINE_HMAC_ACTIVE_KEY) and keep the
old keys listed after it, so that logs signed with them stay verifiable.

age makes a key pair for encrypted backups: the identity file (secret; for
\`npm run restore -- --identity FILE\`) is written to FILE, readable by its
owner only and never over an existing file, or else printed; the public key
(for \`npm run backup -- --encrypt-to\`) is printed. Keep the identity file
away from the backups: without it they cannot be read.`,
  allowPositionals: true,
  options: { id: { type: "string" }, out: { type: "string" } },
  schema: z.object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 letters, digits, '_' or '-'")
      .optional(),
    out: z.string().min(1).optional(),
  }),
  main: async ({ id, out }, positionals) => {
    const [command, ...rest] = positionals;
    if (rest.length > 0 || (command !== "generate" && command !== "age"))
      return usage("give one command, generate or age (see --help)");
    if (command === "generate") {
      if (out !== undefined) return usage("--out: only applies to age");
      console.log(generateKeySpec(id ?? defaultKeyId()));
      return;
    }
    if (id !== undefined) return usage("--id: only applies to generate");
    const pair = await generateAgeKeyPair();
    if (out === undefined) return console.log(pair.identityFile.trimEnd());
    try {
      writeFileSync(out, pair.identityFile, { flag: "wx", mode: OWNER_ONLY_FILE });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return usage(
        `--out: cannot write ${out} (${code === "EEXIST" ? "it exists; an identity file is never overwritten" : (code ?? String(error))})`,
      );
    }
    console.log(`Identity written to ${out} (owner only). Public key:\n${pair.recipient}`);
  },
});

function usage(message: string): number {
  console.error(`error: ${message}`);
  return EXIT_USAGE;
}
