// The signing keys configured in the environment, each parsed once; a bad one
// is a ConfigError naming the variable.
import { ConfigError, getConfig } from "@/lib/foundation/config";
import { CheckpointKeyError, parseCheckpointKeys, type CheckpointSigner } from "./checkpoint-keys";
import { KeyringError, parseKeyring, type Keyring } from "./keyring";

let cachedKeyring: Keyring | undefined;
let cachedSigner: CheckpointSigner | undefined;

function asConfigError(error: unknown): unknown {
  return error instanceof KeyringError || error instanceof CheckpointKeyError ? new ConfigError(error.message) : error;
}

/** The HMAC keyring that signs and verifies every log. */
export function getKeyring(): Keyring {
  try {
    cachedKeyring ??= parseKeyring(getConfig().hmacKeys, getConfig().hmacActiveKey);
  } catch (error) {
    throw asConfigError(error);
  }
  return cachedKeyring;
}

/** The Ed25519 keys that sign checkpoints. */
export function getCheckpointSigner(): CheckpointSigner {
  try {
    cachedSigner ??= parseCheckpointKeys(getConfig().checkpointKeys, getConfig().checkpointActiveKey);
  } catch (error) {
    throw asConfigError(error);
  }
  return cachedSigner;
}
