import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metadataText, storedValuesOf, type MetadataScalar } from "./metadata-match";

/** How MongoDB compares a stored scalar with a query value: numbers by value across int and double, others by type and value. */
function mongoEquals(stored: MetadataScalar, queried: MetadataScalar): boolean {
  return (
    typeof stored === typeof queried && (typeof stored === "number" ? stored === queried : Object.is(stored, queried))
  );
}

const SCALARS: MetadataScalar[] = [
  22,
  -0,
  0,
  1.5,
  1e21,
  2 ** 53 + 2,
  -7,
  0.1,
  true,
  false,
  "22",
  "022",
  "22.0",
  "true",
  "",
  " 22",
  "1e21",
  "1e+21",
  "null",
  "NaN",
  "x",
];
const TEXTS = [
  "22",
  "022",
  "22.0",
  "0",
  "-0",
  "1.5",
  "1.50",
  "1e21",
  "1e+21",
  "9007199254740994",
  "-7",
  "0.1",
  "true",
  "false",
  "True",
  "",
  " 22",
  "null",
  "NaN",
  "Infinity",
  "x",
];

describe("metadata comparison", () => {
  it("gives $in the stored values whose text is the filter's, so the query and the predicate agree on every pair", () => {
    for (const stored of SCALARS) {
      for (const text of TEXTS) {
        const byQuery = storedValuesOf(text).some((value) => mongoEquals(stored, value));
        assert.equal(byQuery, metadataText({ k: stored }, "k") === text, `${JSON.stringify(stored)} against '${text}'`);
      }
    }
  });

  it("reads only own keys of plain objects along the path", () => {
    assert.equal(metadataText({ a: { b: { c: "deep" } } }, "a.b.c"), "deep");
    assert.equal(metadataText({ a: ["x"] }, "a.0"), undefined);
    assert.equal(metadataText({ a: "text" }, "a.length"), undefined);
    assert.equal(metadataText({}, "constructor"), undefined);
    assert.equal(metadataText(undefined, "a"), undefined);
    assert.equal(metadataText({ a: null }, "a"), undefined);
  });
});
