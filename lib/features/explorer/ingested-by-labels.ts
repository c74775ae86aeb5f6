// How the explorer names who stored a log: an API key by its name (the stored
// value keeps only the key's id, which outlives a rename or revocation).
import type { Db } from "mongodb";
import { listApiKeys } from "@/lib/records/auth/api-keys";
import { apiKeyIdOf } from "@/lib/records/logs/provenance";

/** Reads the API keys' names once per page. */
export async function ingestedByNamer(db: Db): Promise<(ingestedBy: string | undefined) => string> {
  const names = new Map((await listApiKeys(db)).map((key) => [key.id, key.name]));
  return (ingestedBy) => {
    if (ingestedBy === undefined) return "—";
    const keyId = apiKeyIdOf(ingestedBy);
    if (keyId === undefined) return ingestedBy;
    const name = names.get(keyId);
    return name === undefined ? ingestedBy : `API key "${name}"`;
  };
}
