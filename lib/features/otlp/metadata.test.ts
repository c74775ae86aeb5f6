import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isWellFormedText } from "@/lib/records/integrity/canonical";
import { metadataKeyOf, truncateText } from "./metadata";

describe("truncateText", () => {
  it("keeps text within the limit, and cuts longer text to the limit ending in …", () => {
    assert.equal(truncateText("abc", 3), "abc");
    assert.equal(truncateText("abcd", 3), "ab…");
  });

  it("never leaves half of a surrogate pair", () => {
    const cut = truncateText("ab😀cd", 4);
    assert.equal(cut, "ab…");
    assert.ok(isWellFormedText(cut));
  });
});

describe("metadataKeyOf", () => {
  it("turns dots into underscores and refuses what is still not a metadata key", () => {
    assert.equal(metadataKeyOf("log.file.name"), "log_file_name");
    for (const key of ["", "$set", "__proto__", "k".repeat(65), "dropped_attributes", "dropped.attributes"])
      assert.equal(metadataKeyOf(key), undefined, key);
  });
});
