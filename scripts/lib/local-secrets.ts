// Local secrets for a development machine: .env.local is created from the
// example when missing, and each secret left empty is generated into it.
// .env.local is git-ignored and owner-only; secrets are never written anywhere else.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { generateCheckpointKeySpec } from "@/lib/records/integrity/checkpoint-keys";
import { generateKeySpec } from "@/lib/records/integrity/keyring";
import { replaceOwnerOnlyFile } from "@/lib/foundation/util/owner-only-files";

export const LOCAL_SECRETS: { name: string; generate: () => string }[] = [
  { name: "LEDGERLINE_HMAC_KEYS", generate: () => generateKeySpec(defaultKeyId()) },
  { name: "SESSION_SECRET", generate: () => randomBytes(32).toString("base64url") },
  { name: "LEDGERLINE_CHECKPOINT_KEYS", generate: () => generateCheckpointKeySpec(`c${defaultKeyId().slice(1)}`) },
  { name: "LEDGERLINE_TOTP_KEY", generate: () => randomBytes(32).toString("base64url") },
];

export function defaultKeyId(now = new Date()): string {
  return `k${now.toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/** Returns the names of the secrets it generated. */
export function ensureLocalSecrets(envFile = ".env.local", exampleFile = ".env.local.example"): string[] {
  const exists = existsSync(envFile);
  let text = readFileSync(exists ? envFile : exampleFile, "utf8");
  const generated: string[] = [];
  for (const secret of LOCAL_SECRETS) {
    const assignment = new RegExp(`^${secret.name}=(.*)$`, "m");
    const current = assignment.exec(text);
    if (current && current[1]!.trim() !== "") continue;
    const line = `${secret.name}=${secret.generate()}`;
    text = current ? text.replace(assignment, line) : `${text.replace(/\n?$/, "\n")}${line}\n`;
    generated.push(secret.name);
  }
  if (generated.length > 0 || !exists) replaceOwnerOnlyFile(envFile, text);
  return generated;
}
