// The "keyId:value,keyId:value" lists that hold signing keys in the
// environment (HMAC keyring, checkpoint keys), and the choice of the active
// key. Entries are named by position, never echoed: a malformed entry may be
// a secret.

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export type KeyListSpec<T> = {
  variable: string;
  activeVariable: string;
  /** How an entry is written, for messages: "keyId:secret". */
  entryForm: string;
  error: (message: string) => Error;
  /** Decodes one entry's value; `named` ("VAR: entry 2 (key id "k1")") starts any error message. */
  decode: (encoded: string, named: string) => T;
};

export function parseKeyList<T>(
  raw: string,
  activeKeyId: string | undefined,
  spec: KeyListSpec<T>,
): { active: string; keys: Map<string, T> } {
  const keys = new Map<string, T>();
  raw.split(",").forEach((rawEntry, index) => {
    const [keyId, value] = parseEntry(rawEntry.trim(), index + 1, spec);
    if (keys.has(keyId)) throw spec.error(`${spec.variable}: key id "${keyId}" appears more than once`);
    keys.set(keyId, value);
  });
  const active = activeKeyId?.trim() || [...keys.keys()][0]!;
  if (!keys.has(active)) {
    const shown = KEY_ID.test(active) ? `"${active}"` : "the given key id";
    throw spec.error(
      `${spec.activeVariable}: ${shown} is not one of the key ids in ${spec.variable} (${[...keys.keys()].join(", ")})`,
    );
  }
  return { active, keys };
}

function parseEntry<T>(entry: string, position: number, spec: KeyListSpec<T>): [string, T] {
  const where = `${spec.variable}: entry ${position}`;
  if (entry === "") throw spec.error(`${where} is empty (check for a stray comma)`);
  const colon = entry.indexOf(":");
  if (colon < 0) throw spec.error(`${where} is not in the form ${spec.entryForm}`);
  const keyId = entry.slice(0, colon).trim();
  if (!KEY_ID.test(keyId)) throw spec.error(`${where} has an invalid key id (use 1-32 letters, digits, '_' or '-')`);
  return [keyId, spec.decode(entry.slice(colon + 1).trim(), `${where} (key id "${keyId}")`)];
}
