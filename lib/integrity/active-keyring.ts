import { ConfigError, getConfig } from "@/lib/config";
import { KeyringError, parseKeyring, type Keyring } from "./keyring";

let cached: Keyring | undefined;

/** The keyring configured in the environment, parsed once; a bad one is a ConfigError. */
export function getKeyring(): Keyring {
  if (!cached) {
    const { hmacKeys, hmacActiveKey } = getConfig();
    try {
      cached = parseKeyring(hmacKeys, hmacActiveKey);
    } catch (error) {
      throw error instanceof KeyringError ? new ConfigError(error.message) : error;
    }
  }
  return cached;
}
