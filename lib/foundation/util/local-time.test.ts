import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalTimeZone, createLocalClock } from "./local-time";

const at = (iso: string) => Date.parse(iso);
const clockTime = (clock: ReturnType<typeof createLocalClock>, iso: string) => {
  const minute = clock.minuteOfDay(at(iso));
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
};

describe("createLocalClock", () => {
  it("follows Europe/Berlin across the spring DST switch (01:00 UTC: 02:00 CET becomes 03:00 CEST)", () => {
    const berlin = createLocalClock("Europe/Berlin");
    assert.equal(clockTime(berlin, "2025-03-30T00:59:00Z"), "01:59");
    assert.equal(clockTime(berlin, "2025-03-30T01:00:00Z"), "03:00");
    assert.equal(berlin.hour(at("2025-03-30T01:30:00Z")), 3);
  });

  it("follows Europe/Berlin across the autumn switch, where the local hour 02 happens twice", () => {
    const berlin = createLocalClock("Europe/Berlin");
    assert.equal(clockTime(berlin, "2025-10-26T00:30:00Z"), "02:30");
    assert.equal(clockTime(berlin, "2025-10-26T01:30:00Z"), "02:30");
    assert.equal(berlin.day(at("2025-10-25T22:30:00Z")), berlin.day(at("2025-10-26T01:30:00Z")));
  });

  it("handles half-hour and quarter-hour offsets (Asia/Kolkata +5:30, Asia/Kathmandu +5:45)", () => {
    const kolkata = createLocalClock("Asia/Kolkata");
    assert.equal(clockTime(kolkata, "2025-01-15T18:29:00Z"), "23:59");
    assert.equal(clockTime(kolkata, "2025-01-15T18:30:00Z"), "00:00");
    assert.equal(kolkata.day(at("2025-01-15T18:30:00Z")) - kolkata.day(at("2025-01-15T18:29:00Z")), 1);
    assert.equal(clockTime(createLocalClock("Asia/Kathmandu"), "2025-01-15T00:00:00Z"), "05:45");
  });

  it("switches Australia/Adelaide out of DST at 16:30 UTC, in the middle of a UTC hour", () => {
    const adelaide = createLocalClock("Australia/Adelaide");
    assert.equal(clockTime(adelaide, "2025-04-05T16:29:00Z"), "02:59");
    assert.equal(clockTime(adelaide, "2025-04-05T16:30:00Z"), "02:00");
    assert.equal(clockTime(adelaide, "2025-04-05T16:45:00Z"), "02:15");
  });

  it("counts UTC days from the epoch", () => {
    const utc = createLocalClock("UTC");
    assert.equal(utc.day(at("1970-01-02T00:00:00Z")), 1);
    assert.equal(utc.hour(at("2025-01-15T23:59:59Z")), 23);
  });
});

describe("canonicalTimeZone", () => {
  it("keeps known zones as written, fixing only capitals, and refuses unknown ones", () => {
    assert.equal(canonicalTimeZone("Asia/Kolkata"), "Asia/Kolkata");
    assert.equal(canonicalTimeZone("europe/berlin"), "Europe/Berlin");
    assert.equal(canonicalTimeZone("utc"), "UTC");
    assert.equal(canonicalTimeZone("Nowhere/Town"), undefined);
  });
});
