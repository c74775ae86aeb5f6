// Backup files encrypted with age (https://age-encryption.org, the
// age-encryption package): each file is its own age file, encrypted and
// decrypted as a stream of the format's 64 KiB chunks, so memory does not grow
// with a file's size. age keeps the files secret; the signatures inside them,
// not the encryption, prove who wrote them (anyone can encrypt to a public key).
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { Decrypter, Encrypter, generateIdentity, identityToRecipient } from "age-encryption";

export const AGE_SUFFIX = ".age";

/** An age file that cannot be decrypted: no identity given is one of its recipients, or its bytes were changed. */
export class AgeDecryptError extends Error {
  override name = "AgeDecryptError";
}

/** An age public key (`age1...`, post-quantum `age1pq1...` included). */
export function isAgeRecipient(text: string): boolean {
  try {
    new Encrypter().addRecipient(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The identities of an age identity file: one `AGE-SECRET-KEY-1...` per line,
 * blank lines and `#` comments allowed (age-keygen writes its public key in one).
 * A bad line is named by its number, never quoted: it may hold a secret.
 */
export function parseAgeIdentities(text: string): string[] {
  const identities: string[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    try {
      new Decrypter().addIdentity(line);
    } catch {
      throw new Error(`line ${index + 1} is not an age identity (AGE-SECRET-KEY-1...)`);
    }
    identities.push(line);
  }
  if (identities.length === 0) throw new Error("holds no age identity (an AGE-SECRET-KEY-1... line)");
  return identities;
}

/** A new age key pair, and the identity file that holds it (the format age-keygen writes). */
export async function generateAgeKeyPair(
  now = new Date(),
): Promise<{ identity: string; recipient: string; identityFile: string }> {
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  return {
    identity,
    recipient,
    identityFile: `# created: ${now.toISOString()}\n# public key: ${recipient}\n${identity}\n`,
  };
}

export type AgeEncryptingStream = {
  write(bytes: Uint8Array): Promise<void>;
  /** Writes the last chunk; resolves once every ciphertext byte was handed to `out`. */
  end(): Promise<void>;
  abort(reason: unknown): Promise<void>;
};

/** Encrypts the bytes written to it to every recipient, handing the ciphertext to `out` in order. */
export async function encryptingStream(
  recipients: readonly string[],
  out: (bytes: Uint8Array) => Promise<void>,
): Promise<AgeEncryptingStream> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const plaintext = new TransformStream<Uint8Array, Uint8Array>();
  const ciphertext = (await encrypter.encrypt(plaintext.readable)).getReader();
  const pumped = (async () => {
    try {
      for (let chunk = await ciphertext.read(); !chunk.done; chunk = await ciphertext.read()) await out(chunk.value);
    } catch (error) {
      // Cancelling the ciphertext errors the plaintext side, so a write waiting on it fails instead of hanging.
      await ciphertext.cancel(error).catch(() => {});
      throw error;
    }
  })();
  pumped.catch(() => {});
  const writer = plaintext.writable.getWriter();
  return {
    write: async (bytes) => {
      await Promise.race([writer.write(bytes), pumped.then(() => {})]);
    },
    end: async () => {
      await Promise.all([writer.close(), pumped]);
    },
    abort: async (reason) => {
      await writer.abort(reason).catch(() => {});
      await pumped.catch(() => {});
    },
  };
}

/** The plaintext of an age file as a stream; it fails with AgeDecryptError, or with the I/O error reading the file. */
export function decryptedFile(file: string, identities: readonly string[]): Readable {
  return Readable.from(decryptedChunks(file, identities), { objectMode: false });
}

async function* decryptedChunks(file: string, identities: readonly string[]): AsyncGenerator<Uint8Array> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  const input = createReadStream(file);
  try {
    const plaintext = await decrypter
      .decrypt(Readable.toWeb(input) as ReadableStream<Uint8Array>)
      .catch(asDecryptError);
    const reader = plaintext.getReader();
    try {
      for (
        let chunk = await reader.read().catch(asDecryptError);
        !chunk.done;
        chunk = await reader.read().catch(asDecryptError)
      )
        yield chunk.value;
    } finally {
      await reader.cancel().catch(() => {});
    }
  } finally {
    input.destroy();
  }
}

function asDecryptError(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
  const message = error instanceof Error ? error.message : String(error);
  throw new AgeDecryptError(
    message.includes("no identity matched")
      ? "cannot be decrypted: none of the given age identities is one of its recipients"
      : `cannot be decrypted (${message}): the file was changed or cut short`,
  );
}
