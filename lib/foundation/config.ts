// The one place that reads process.env: every setting is parsed and validated
// here once, and the rest of the code receives a typed, frozen object.
import { z } from "zod";
import {
  DETECTION_ENV,
  DetectionConfigError,
  detectionConfigFromEnv,
  type DetectionConfig,
} from "@/lib/foundation/detection-config";

const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z.object({
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, "must be a mongodb:// or mongodb+srv:// connection string")
    .optional(),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, "must be 1-63 letters, digits, '_' or '-'")
    .default("secure_logs"),
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  REQUEST_DB_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  REQUEST_DB_MAX_ABANDONED: z.coerce.number().int().min(1).max(100_000).default(64),
  EMBEDDED_DB_PORT: port.default(27117),
  EMBEDDED_DB_DATA_DIR: z.string().min(1).default(".data/db"),
  PORT: port.default(3000),
  LEDGERLINE_HMAC_KEYS: z.string().optional(),
  LEDGERLINE_HMAC_ACTIVE_KEY: z.string().optional(),
  INGEST_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  INGEST_MAX_ITEMS: z.coerce.number().int().min(1).max(100_000).default(5_000),
  INGEST_MAX_FUTURE_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (npm run quickstart generates one)").optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  // Fractions allowed (0.05 is 3 s), so that a test can watch a lockout end.
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(15),
  LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  EXPORT_QUEUE: z.coerce.number().int().min(0).max(10_000).default(16),
  TRUST_PROXY_HEADERS: z.enum(["true", "false"]).default("false"),
  LEDGERLINE_TOTP_KEY: z
    .string()
    .min(32, "must be at least 32 characters (npm run quickstart generates one)")
    .optional(),
  REQUIRE_MFA_FOR_ADMINS: z.enum(["true", "false"]).default("false"),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  LEDGERLINE_PASSWORD: z.string().optional(),
  LEDGERLINE_CHECKPOINT_KEYS: z.string().optional(),
  LEDGERLINE_CHECKPOINT_ACTIVE_KEY: z.string().optional(),
  CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  CHECKPOINT_VOID_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  LEDGERLINE_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  LEDGERLINE_ALERT_WEBHOOK_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // At least the /anomalies page's longest preset (7 days), so every preset stays allowed.
  ANOMALIES_MAX_RANGE_DAYS: z.coerce.number().int().min(7).max(3_660).default(31),
  ANOMALIES_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  ANOMALIES_QUEUE: z.coerce.number().int().min(0).max(10_000).default(8),
  LEDGERLINE_LEGACY_KEY: z.string().optional(),
  IMPORT_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
});

export type Config = Readonly<{
  mongodbUri: string;
  mongodbDb: string;
  /** True when MONGODB_URI is unset and the project's own embedded server is used. */
  usesEmbeddedDb: boolean;
  dbTimeoutMs: number;
  /** How long one API request may wait on the database in all before it answers 503 (lib/platform/db/time-budget.ts). */
  requestDbTimeoutMs: number;
  /** Requests past their database time whose work still waits on the database, beyond which new API requests are refused at once. */
  requestDbMaxAbandoned: number;
  embeddedDbPort: number;
  embeddedDbDataDir: string;
  appPort: number;
  /** Raw keyring settings; parsed (and checked) by getKeyring() when first needed. */
  hmacKeys: string | undefined;
  hmacActiveKey: string | undefined;
  ingestMaxBodyBytes: number;
  ingestMaxItems: number;
  ingestMaxFutureSkewMs: number;
  ingestRateLimitPerMinute: number;
  /** Raw session secret; checked when sessions are first used. */
  sessionSecret: string | undefined;
  sessionIdleMs: number;
  sessionMaxMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  /** Failed sign-ins per minute across every account, beyond which every sign-in is refused. */
  loginGlobalMaxFailuresPerMinute: number;
  /** Most password hashes (sign-in checks, new passwords) computed at once in this process. */
  passwordHashConcurrency: number;
  /** Most hashes waiting for a turn (up to 5 s); beyond, the request is refused with 503. */
  passwordHashQueue: number;
  /** Most exports (GET /api/logs/export) streamed at once by this process. */
  exportConcurrency: number;
  /** Most exports waiting for a turn (up to 30 s); beyond, the request is refused with 503. */
  exportQueue: number;
  /** Whether X-Forwarded-For names the client (only behind a proxy that sets it). */
  trustProxyHeaders: boolean;
  /** Raw key that encrypts TOTP secrets and keys recovery-code hashes; checked when two-factor sign-in is first used. */
  totpKey: string | undefined;
  /** Whether an administrator must enrol a second factor before doing anything else. */
  requireMfaForAdmins: boolean;
  /** How many proxies we trust append to X-Forwarded-For: the client is that many entries from its right. */
  trustedProxyHops: number;
  /** For `npm run user` automation: the password to set, instead of a prompt. */
  cliPassword: string | undefined;
  /** Raw Ed25519 checkpoint keys; parsed when first needed. */
  checkpointKeys: string | undefined;
  checkpointActiveKey: string | undefined;
  /** 0 turns off the app's own checkpoint timer (then run `npm run checkpoint` from a scheduler). */
  checkpointIntervalMs: number;
  /** How long a reservation may stay unfilled before the checkpoint writer voids it. */
  checkpointVoidAfterMs: number;
  /** Anomaly detection settings, from the ANOMALY_* variables (see lib/foundation/detection-config.ts). */
  anomaly: DetectionConfig;
  /** How long logs are kept (npm run retention); undefined: for ever. */
  retentionMs: number | undefined;
  /** Where each new alert is POSTed as JSON, if anywhere. */
  alertWebhookUrl: string | undefined;
  /** Signs each webhook delivery (X-Ledgerline-Signature); unset: deliveries are unsigned. */
  alertWebhookSecret: string | undefined;
  /** The longest range on-demand detection (GET /api/anomalies, npm run anomalies) accepts. */
  anomaliesMaxRangeMs: number;
  /** Most on-demand detection runs (GET /api/anomalies and its stream) at once in this process. */
  anomaliesConcurrency: number;
  /** Most runs waiting for a turn (up to 30 s); beyond, the request is refused with 503. */
  anomaliesQueue: number;
  /** The original project's HMAC key, to check its log_hash on import. */
  legacyKey: string | undefined;
  /** Largest file accepted by POST /api/import. */
  importMaxUploadBytes: number;
}>;

/** Every environment variable the configuration reads (.env.local.example lists them). */
export const ENV_VARIABLES: readonly string[] = [...Object.keys(EnvSchema.shape), ...Object.values(DETECTION_ENV)];

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses an environment; empty values count as unset, as in most .env files. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = EnvSchema.safeParse(present);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  let anomaly: DetectionConfig | undefined;
  try {
    anomaly = detectionConfigFromEnv(present);
  } catch (error) {
    if (!(error instanceof DetectionConfigError)) throw error;
    // Its lines after the first already read "  ANOMALY_…: problem".
    problems.push(...error.message.split("\n").slice(1));
  }
  if (result.success && result.data.REQUIRE_MFA_FOR_ADMINS === "true" && !result.data.LEDGERLINE_TOTP_KEY) {
    problems.push("  REQUIRE_MFA_FOR_ADMINS: needs LEDGERLINE_TOTP_KEY to be set (npm run quickstart generates one)");
  }
  if (!result.success || anomaly === undefined || problems.length > 0) {
    throw new ConfigError(`Invalid environment configuration:\n${problems.join("\n")}`);
  }
  const vars = result.data;
  return Object.freeze({
    mongodbUri: vars.MONGODB_URI ?? embeddedDbUri(vars.EMBEDDED_DB_PORT),
    mongodbDb: vars.MONGODB_DB,
    usesEmbeddedDb: vars.MONGODB_URI === undefined,
    dbTimeoutMs: vars.DB_TIMEOUT_MS,
    requestDbTimeoutMs: vars.REQUEST_DB_TIMEOUT_MS,
    requestDbMaxAbandoned: vars.REQUEST_DB_MAX_ABANDONED,
    embeddedDbPort: vars.EMBEDDED_DB_PORT,
    embeddedDbDataDir: vars.EMBEDDED_DB_DATA_DIR,
    appPort: vars.PORT,
    hmacKeys: vars.LEDGERLINE_HMAC_KEYS,
    hmacActiveKey: vars.LEDGERLINE_HMAC_ACTIVE_KEY,
    ingestMaxBodyBytes: vars.INGEST_MAX_BODY_BYTES,
    ingestMaxItems: vars.INGEST_MAX_ITEMS,
    ingestMaxFutureSkewMs: vars.INGEST_MAX_FUTURE_SKEW_SECONDS * 1000,
    ingestRateLimitPerMinute: vars.INGEST_RATE_LIMIT_PER_MINUTE,
    sessionSecret: vars.SESSION_SECRET,
    sessionIdleMs: vars.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: vars.SESSION_MAX_HOURS * 3_600_000,
    loginMaxFailures: vars.LOGIN_MAX_FAILURES,
    loginWindowMs: Math.round(vars.LOGIN_WINDOW_MINUTES * 60_000),
    loginGlobalMaxFailuresPerMinute: vars.LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE,
    passwordHashConcurrency: vars.PASSWORD_HASH_CONCURRENCY,
    passwordHashQueue: vars.PASSWORD_HASH_QUEUE,
    exportConcurrency: vars.EXPORT_CONCURRENCY,
    exportQueue: vars.EXPORT_QUEUE,
    trustProxyHeaders: vars.TRUST_PROXY_HEADERS === "true",
    totpKey: vars.LEDGERLINE_TOTP_KEY,
    requireMfaForAdmins: vars.REQUIRE_MFA_FOR_ADMINS === "true",
    trustedProxyHops: vars.TRUSTED_PROXY_HOPS,
    cliPassword: vars.LEDGERLINE_PASSWORD,
    checkpointKeys: vars.LEDGERLINE_CHECKPOINT_KEYS,
    checkpointActiveKey: vars.LEDGERLINE_CHECKPOINT_ACTIVE_KEY,
    checkpointIntervalMs: vars.CHECKPOINT_INTERVAL_SECONDS * 1000,
    checkpointVoidAfterMs: vars.CHECKPOINT_VOID_AFTER_SECONDS * 1000,
    anomaly,
    alertWebhookUrl: vars.LEDGERLINE_ALERT_WEBHOOK_URL,
    alertWebhookSecret: vars.LEDGERLINE_ALERT_WEBHOOK_SECRET,
    anomaliesMaxRangeMs: vars.ANOMALIES_MAX_RANGE_DAYS * 86_400_000,
    anomaliesConcurrency: vars.ANOMALIES_CONCURRENCY,
    anomaliesQueue: vars.ANOMALIES_QUEUE,
    retentionMs: vars.RETENTION_DAYS === undefined ? undefined : vars.RETENTION_DAYS * 86_400_000,
    legacyKey: vars.LEDGERLINE_LEGACY_KEY,
    importMaxUploadBytes: vars.IMPORT_MAX_UPLOAD_BYTES,
  });
}

/** The embedded server is a single node without retryable writes. */
export function embeddedDbUri(port: number, host = "127.0.0.1"): string {
  return `mongodb://${host}:${port}/?directConnection=true&retryWrites=false`;
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
