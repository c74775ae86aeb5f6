import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { timeDimensions } from "./record";

// Computed with toISOString for every time, not the cached day text: these are stored with every log.
const PINNED: [Date, { hour: number; day: string; quarter: number; minute: number }][] = [
  [new Date("1970-01-01T00:00:00.000Z"), { hour: 0, day: "1970-01-01", quarter: 0, minute: 0 }],
  [new Date("1969-12-31T23:59:59.999Z"), { hour: 23, day: "1969-12-31", quarter: -900000, minute: -60000 }],
  [
    new Date("2025-01-01T23:59:59.999Z"),
    { hour: 23, day: "2025-01-01", quarter: 1735775100000, minute: 1735775940000 },
  ],
  [new Date("2025-01-02T00:00:00.000Z"), { hour: 0, day: "2025-01-02", quarter: 1735776000000, minute: 1735776000000 }],
  [new Date("2025-01-02T00:14:59.999Z"), { hour: 0, day: "2025-01-02", quarter: 1735776000000, minute: 1735776840000 }],
  [new Date("2025-01-02T00:15:00.000Z"), { hour: 0, day: "2025-01-02", quarter: 1735776900000, minute: 1735776900000 }],
  [
    new Date("2025-01-02T13:59:59.999Z"),
    { hour: 13, day: "2025-01-02", quarter: 1735825500000, minute: 1735826340000 },
  ],
  [
    new Date("2024-02-29T12:34:56.789Z"),
    { hour: 12, day: "2024-02-29", quarter: 1709209800000, minute: 1709210040000 },
  ],
  [
    new Date("1900-03-01T06:45:00.001Z"),
    { hour: 6, day: "1900-03-01", quarter: -2203866900000, minute: -2203866900000 },
  ],
  [
    new Date("0000-01-01T00:00:00.000Z"),
    { hour: 0, day: "0000-01-01", quarter: -62167219200000, minute: -62167219200000 },
  ],
  [
    new Date("9999-12-31T23:59:59.999Z"),
    { hour: 23, day: "9999-12-31", quarter: 253402299900000, minute: 253402300740000 },
  ],
  [new Date(-62167219200001), { hour: 23, day: "-000001-12", quarter: -62167220100000, minute: -62167219260000 }],
  [new Date(253402300800000), { hour: 0, day: "+010000-01", quarter: 253402300800000, minute: 253402300800000 }],
  [new Date(8.64e15), { hour: 0, day: "+275760-09", quarter: 8640000000000000, minute: 8640000000000000 }],
  [new Date(-8.64e15), { hour: 0, day: "-271821-04", quarter: -8640000000000000, minute: -8640000000000000 }],
];

describe("timeDimensions", () => {
  it("gives the pinned hour, day, quarter and minute at millisecond edges, before 1970 and beyond year 9999", () => {
    for (const [time, pinned] of PINNED) {
      const { hour, day, quarter, minute } = timeDimensions(time);
      assert.deepEqual(
        { hour, day, quarter: quarter.getTime(), minute: minute.getTime() },
        pinned,
        time.getTime().toString(),
      );
    }
  });

  it("gives the same dimensions in any order of calls, the day changing at midnight UTC", () => {
    const times = [...PINNED, ...[...PINNED].reverse(), ...PINNED];
    for (const [time, pinned] of times) assert.equal(timeDimensions(time).day, pinned.day);
    const midnight = Date.parse("2025-03-30T00:00:00.000Z");
    assert.deepEqual(
      [midnight - 1, midnight, midnight - 1].map((ms) => timeDimensions(new Date(ms)).day),
      ["2025-03-29", "2025-03-30", "2025-03-29"],
    );
  });

  it("throws for an invalid date, as toISOString does", () => {
    assert.throws(() => timeDimensions(new Date(Number.NaN)), { name: "RangeError", message: "Invalid time value" });
  });
});
