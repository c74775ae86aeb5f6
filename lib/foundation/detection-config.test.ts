import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DetectionConfigError, detectionConfigFromEnv, parseDetectionConfig } from "./detection-config";

describe("parseDetectionConfig", () => {
  it("defaults to the issue's thresholds: 5 failures or 5 users in 10 minutes, 10.0.0.0/16, 00:00-05:00 UTC, 14 days", () => {
    const config = parseDetectionConfig();
    assert.equal(config.burstThreshold, 5);
    assert.equal(config.sprayUsers, 5);
    assert.equal(config.windowMs, 10 * 60_000);
    assert.deepEqual(config.allowedNetworks, [
      {
        address: "10.0.0.0",
        prefix: 16,
        range: { low: "00000000000000000000ffff0a000000", high: "00000000000000000000ffff0a00ffff" },
      },
    ]);
    assert.deepEqual(config.offHours, { startMinute: 0, endMinute: 300 });
    assert.equal(config.timeZone, "UTC");
    assert.equal(config.baselineMs, 14 * 86_400_000);
    assert.equal(config.minHistoryEvents, 20);
    assert.equal(config.minHistoryDays, 3);
    assert.equal(config.rareHourShare, 0.02);
    assert.deepEqual(config.failureActions, []);
  });

  it("defaults source_silent to 30 minutes after a source filled 90% of the 10-minute slots of 24 hours", () => {
    assert.deepEqual(parseDetectionConfig().silence, {
      silenceMs: 30 * 60_000,
      slotMs: 10 * 60_000,
      slots: 144,
      steadySlots: 130,
      ignoredSources: [],
    });
    const config = parseDetectionConfig({
      silenceSteadyHours: 6,
      silenceSteadySlotMinutes: 15,
      silenceSteadyPercent: 100,
      silenceIgnoredSources: "cron, batch cron",
    });
    assert.deepEqual(config.silence, {
      silenceMs: 30 * 60_000,
      slotMs: 15 * 60_000,
      slots: 24,
      steadySlots: 24,
      ignoredSources: ["cron", "batch"],
    });
  });

  it("accepts lists as arrays or comma/space separated text, IPv6 ranges and lone addresses", () => {
    const config = parseDetectionConfig({
      allowedNetworks: "10.0.0.0/8, 2001:db8::/32 192.0.2.7",
      failureActions: ["login", "sudo"],
    });
    assert.deepEqual(
      config.allowedNetworks.map((cidr) => `${cidr.address}/${cidr.prefix}`),
      ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"],
    );
    assert.deepEqual(config.failureActions, ["login", "sudo"]);
  });

  it("parses off hours that cross midnight and canonicalises the time zone", () => {
    const config = parseDetectionConfig({ offHours: "22:30-06:00", timeZone: "europe/berlin" });
    assert.deepEqual(config.offHours, { startMinute: 22 * 60 + 30, endMinute: 360 });
    assert.equal(config.timeZone, "Europe/Berlin");
  });

  it("rejects bad settings, naming each", () => {
    assert.throws(
      () =>
        parseDetectionConfig({
          offHours: "25:00-05:00",
          timeZone: "Mars/Olympus",
          allowedNetworks: "10.0.0.0/33",
          burstThreshold: 1,
        }),
      (error: Error) => {
        assert.ok(error instanceof DetectionConfigError);
        for (const name of ["offHours", "timeZone", "allowedNetworks", "burstThreshold"])
          assert.match(error.message, new RegExp(`${name}:`));
        return true;
      },
    );
    assert.throws(() => parseDetectionConfig({ offHours: "05:00-05:00" }), /offHours: start and end must differ/);
  });
});

describe("detectionConfigFromEnv", () => {
  it("reads the ANOMALY_* variables and treats empty ones as unset", () => {
    const config = detectionConfigFromEnv({
      ANOMALY_BURST_THRESHOLD: "6",
      ANOMALY_WINDOW_MINUTES: "15",
      ANOMALY_ALLOWED_NETWORKS: "",
      ANOMALY_TIME_ZONE: "Asia/Kolkata",
      ANOMALY_RARE_HOUR_PERCENT: "0.5",
      ANOMALY_MAX_LATENESS_SECONDS: "0",
      UNRELATED: "x",
    });
    assert.equal(config.burstThreshold, 6);
    assert.equal(config.windowMs, 15 * 60_000);
    assert.equal(config.allowedNetworks.length, 1);
    assert.equal(config.timeZone, "Asia/Kolkata");
    assert.equal(config.rareHourShare, 0.005);
    assert.equal(config.maxLatenessMs, 0);
  });

  it("names the variable at fault", () => {
    assert.throws(() => detectionConfigFromEnv({ ANOMALY_WINDOW_MINUTES: "ten" }), /ANOMALY_WINDOW_MINUTES:/);
    assert.throws(
      () => detectionConfigFromEnv({ ANOMALY_ALLOWED_NETWORKS: "10.0.0.0/16,intranet" }),
      /ANOMALY_ALLOWED_NETWORKS: 'intranet' is not an IPv4 or IPv6 address/,
    );
    assert.throws(
      () => detectionConfigFromEnv({ ANOMALY_OFF_HOURS: "night" }),
      /ANOMALY_OFF_HOURS: must be "HH:MM-HH:MM"/,
    );
    assert.throws(() => detectionConfigFromEnv({ ANOMALY_TIME_ZONE: "CEST+2" }), /ANOMALY_TIME_ZONE:/);
    assert.throws(
      () => detectionConfigFromEnv({ ANOMALY_SILENCE_STEADY_SLOT_MINUTES: "7" }),
      /ANOMALY_SILENCE_STEADY_SLOT_MINUTES: must divide the steady period \(24 h\)/,
    );
    assert.throws(
      () => detectionConfigFromEnv({ ANOMALY_SILENCE_MINUTES: "15" }),
      /ANOMALY_SILENCE_MINUTES: must be at least twice the steady slot \(20 minutes\)/,
    );
    assert.throws(
      () => detectionConfigFromEnv({ ANOMALY_SILENCE_STEADY_PERCENT: "0" }),
      /ANOMALY_SILENCE_STEADY_PERCENT:/,
    );
  });
});
