// lib/records/integrity owns tamper evidence: the canonical encoding of a log, the HMAC
// keyring and per-log MACs (layer 1 of the integrity model in docs/architecture.md).
export {
  CANONICAL_VERSION,
  CanonicalEncodingError,
  canonicalNumber,
  encodeCanonicalLog,
  isWellFormedText,
  type MetadataValue,
  type SignedLogFields,
} from "./canonical";
export { ACTIVE_KEY_VAR, KEYS_VAR, KeyringError, generateKeySpec, parseKeyring, type Keyring } from "./keyring";
export { signLog, verifyLogMac, type MacVerdict } from "./mac";
