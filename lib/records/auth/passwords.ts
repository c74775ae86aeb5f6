// Password hashing with scrypt. A stored hash names its own parameters
// ("scrypt$N$r$p$salt$hash"), so they can be raised later without breaking
// the hashes already stored: each is verified with the parameters it names.
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/foundation/config";
import { BusyError, ConcurrencyLimit } from "@/lib/foundation/util/concurrency-limit";

const ALGORITHM = "scrypt";
const PARAMETERS: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 64;
/** Most memory one verification may ask for, counted as 128·N·r·p bytes (above what scrypt needs); 32 MiB today. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
/** How long a hash may wait for its turn before it is refused (503): beyond that the server is overloaded anyway. */
const MAX_HASH_WAIT_MS = 5_000;
const STORED_PATTERN = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{22,128})\$([A-Za-z0-9_-]{86})$/;

/**
 * A hash of a random password nobody knows, with the current parameters:
 * verifying against it costs what a real check costs, so an unknown account
 * answers as slowly as a known one. A unit test keeps its parameters current.
 */
export const DUMMY_PASSWORD_HASH =
  "scrypt$32768$8$1$P2NZFQk4ixMNaJTjoGgjDQ$gLsLV-Az6JvsT8ETofWgTrY03Nwf_yS0klN_cgfLXwReGCYATX20Pmv4_jwjhgXUiZ3HfdGC2nuY9LjjloLSWw";

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, PARAMETERS);
  const { N, r, p } = PARAMETERS;
  return [ALGORITHM, N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** Whether the password matches the stored hash; false (never an error) when the hash is malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED_PATTERN.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Bounds keep a damaged record from asking for absurd memory or time.
  if (!isPowerOfTwo(N) || N < 2 || r < 1 || p < 1 || p > 16 || 128 * N * r * p > MAX_SCRYPT_MEMORY) return false;
  const salt = Buffer.from(match[4]!, "base64url");
  const expected = Buffer.from(match[5]!, "base64url");
  // A shorter key would still match (it is a prefix of the full one), but check fewer bits.
  if (salt.length < SALT_BYTES || expected.length !== KEY_BYTES) return false;
  try {
    const actual = await deriveKey(password, salt, expected.length, { N, r, p });
    return timingSafeEqual(actual, expected);
  } catch (error) {
    if (error instanceof BusyError) throw error;
    return false;
  }
}

// Each hash holds 32 MiB and one of libuv's threads (4 by default, shared with
// file access, DNS and compression) for its whole run, so a flood of sign-ins
// must queue here rather than there.
let hashing: ConcurrencyLimit | undefined;

function hashingLimit(): ConcurrencyLimit {
  const { passwordHashConcurrency, passwordHashQueue } = getConfig();
  hashing ??= new ConcurrencyLimit({
    concurrency: passwordHashConcurrency,
    maxQueue: passwordHashQueue,
    maxWaitMs: MAX_HASH_WAIT_MS,
    name: "password checks",
  });
  return hashing;
}

/** How many hashes run and wait now, and the most that ever ran at once in this process. */
export function passwordHashingLoad(): { running: number; waiting: number; peak: number } {
  const { running, waiting, peak } = hashingLimit();
  return { running, waiting, peak };
}

type ScryptParameters = { N: number; r: number; p: number };

function deriveKey(password: string, salt: Buffer, length: number, { N, r, p }: ScryptParameters): Promise<Buffer> {
  // Node's default limit (32 MiB) is just below what N=2^15, r=8 needs.
  const maxmem = 2 * 128 * N * r * p;
  return hashingLimit().run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize("NFC"), salt, length, { N, r, p, maxmem }, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}
