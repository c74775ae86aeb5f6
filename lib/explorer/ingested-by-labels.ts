// How the explorer names who stored a log: an API key by its name (the stored
// value keeps only the key's id, which outlives a rename or revocation).
import type { Db } from "mongodb";
import { listApiKeys } from "@/lib/auth/api-keys";

const KEY_PREFIX = "key:";

/** Reads the API keys' names once per page. */
export async function ingestedByNamer(db: Db): Promise<(ingestedBy: string | undefined) => string> {
  const names = new Map((await listApiKeys(db)).map((key) => [key.id, key.name]));
  return (ingestedBy) => {
    if (ingestedBy === undefined) return "—";
    if (!ingestedBy.startsWith(KEY_PREFIX)) return ingestedBy;
    const name = names.get(ingestedBy.slice(KEY_PREFIX.length));
    return name === undefined ? ingestedBy : `API key "${name}"`;
  };
}
