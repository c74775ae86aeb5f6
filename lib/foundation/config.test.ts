import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("uses the embedded server and the secure_logs database when nothing is set", () => {
    const config = parseConfig({});
    assert.equal(config.usesEmbeddedDb, true);
    assert.equal(config.mongodbDb, "secure_logs");
    assert.equal(config.mongodbUri, "mongodb://127.0.0.1:27117/?directConnection=true&retryWrites=false");
  });

  it("uses MONGODB_URI as given and treats empty values as unset", () => {
    const config = parseConfig({ MONGODB_URI: "mongodb://db.example:27017/?replicaSet=rs0", MONGODB_DB: "" });
    assert.equal(config.usesEmbeddedDb, false);
    assert.equal(config.mongodbUri, "mongodb://db.example:27017/?replicaSet=rs0");
    assert.equal(config.mongodbDb, "secure_logs");
  });

  it("names every bad variable in one error", () => {
    assert.throws(
      () => parseConfig({ MONGODB_URI: "postgres://x", EMBEDDED_DB_PORT: "99999", DB_TIMEOUT_MS: "soon" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /MONGODB_URI: must be a mongodb:\/\//);
        assert.match(error.message, /EMBEDDED_DB_PORT:/);
        assert.match(error.message, /DB_TIMEOUT_MS:/);
        return true;
      },
    );
  });

  it("reads the sign-in limits, the hashing and export limits and the proxy hops, with their defaults", () => {
    const defaults = parseConfig({});
    assert.equal(defaults.loginGlobalMaxFailuresPerMinute, 20);
    assert.equal(defaults.passwordHashConcurrency, 2);
    assert.equal(defaults.passwordHashQueue, 32);
    assert.equal(defaults.exportConcurrency, 2);
    assert.equal(defaults.exportQueue, 16);
    assert.equal(defaults.trustedProxyHops, 1);
    assert.equal(parseConfig({ LOGIN_WINDOW_MINUTES: "0.05" }).loginWindowMs, 3_000);
    assert.throws(
      () =>
        parseConfig({
          LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE: "0",
          PASSWORD_HASH_CONCURRENCY: "many",
          TRUSTED_PROXY_HOPS: "0",
          LOGIN_WINDOW_MINUTES: "0",
        }),
      (error: unknown) => {
        for (const name of [
          "LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE",
          "PASSWORD_HASH_CONCURRENCY",
          "TRUSTED_PROXY_HOPS",
          "LOGIN_WINDOW_MINUTES",
        ]) {
          assert.match((error as Error).message, new RegExp(`${name}:`));
        }
        return true;
      },
    );
  });

  it("rejects database names the server cannot hold", () => {
    assert.throws(() => parseConfig({ MONGODB_DB: "bad.name" }), /MONGODB_DB/);
  });

  it("reads the anomaly detection settings from the ANOMALY_* variables, with their defaults", () => {
    assert.equal(parseConfig({}).anomaly.burstThreshold, 5);
    const config = parseConfig({
      ANOMALY_BURST_THRESHOLD: "8",
      ANOMALY_TIME_ZONE: "Europe/Berlin",
      ANOMALY_WINDOW_MINUTES: "",
    });
    assert.equal(config.anomaly.burstThreshold, 8);
    assert.equal(config.anomaly.timeZone, "Europe/Berlin");
    assert.equal(config.anomaly.windowMs, 10 * 60_000);
  });

  it("names a bad ANOMALY_* variable together with the other bad variables", () => {
    assert.throws(
      () => parseConfig({ ANOMALY_OFF_HOURS: "late", DB_TIMEOUT_MS: "soon" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^Invalid environment configuration:/);
        assert.match(error.message, /\n {2}DB_TIMEOUT_MS:/);
        assert.match(error.message, /\n {2}ANOMALY_OFF_HOURS: must be "HH:MM-HH:MM"/);
        return true;
      },
    );
  });

  it("keeps two-factor sign-in optional, and refuses REQUIRE_MFA_FOR_ADMINS without LEDGERLINE_TOTP_KEY", () => {
    assert.equal(parseConfig({}).requireMfaForAdmins, false);
    assert.throws(
      () => parseConfig({ REQUIRE_MFA_FOR_ADMINS: "true" }),
      /REQUIRE_MFA_FOR_ADMINS: needs LEDGERLINE_TOTP_KEY/,
    );
    assert.throws(
      () => parseConfig({ LEDGERLINE_TOTP_KEY: "short" }),
      /LEDGERLINE_TOTP_KEY: must be at least 32 characters/,
    );
    const config = parseConfig({ REQUIRE_MFA_FOR_ADMINS: "true", LEDGERLINE_TOTP_KEY: "k".repeat(43) });
    assert.equal(config.requireMfaForAdmins, true);
  });
});
