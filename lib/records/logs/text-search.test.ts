import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NEWER_CASE_PARTNERS, searchPattern, searchRegExp } from "./text-search";

const matches = (q: string, text: string) => searchRegExp(q).test(text);

describe("searchPattern", () => {
  it("escapes every regex syntax character so the text is literal", () => {
    assert.equal(
      searchPattern("a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o"),
      "a\\.b\\*c\\+d\\?e\\(f\\)g\\[h\\]i\\{j\\}k\\|l\\^m\\$n\\\\o",
    );
    assert.equal(searchPattern('{"$ne":null} -/ #'), '\\{"\\$ne":null\\} -/ #');
  });

  it("spells out both letters of a case pair newer than Unicode 15", () => {
    assert.equal(searchPattern("\u019b1"), "[\u019b\ua7dc]1");
    assert.equal(searchPattern("\u{10d70}"), "[\u{10d70}\u{10d50}]");
  });
});

describe("searchRegExp", () => {
  it("matches the text literally as a substring, never as a pattern", () => {
    assert.equal(matches(".*", "anything"), false);
    assert.equal(matches(".*", "a.*b"), true);
    assert.equal(matches("(a|b)", "a"), false);
    assert.equal(matches("(a|b)", "x(A|B)y"), true);
    assert.equal(matches("^admin$", "the ^ADMIN$ role"), true);
    assert.equal(matches('{"$ne":null}', "nothing"), false);
    assert.equal(matches("a\\d", "a\\D"), true);
  });

  it("folds case by Unicode simple case folding, as RE2 does", () => {
    assert.equal(matches("zoë", "ZOË"), true);
    assert.equal(matches("k", "\u212a"), true, "Kelvin sign");
    assert.equal(matches("S", "\u017f"), true, "long s");
    assert.equal(matches("σ", "ΣΑΣ"), true);
    assert.equal(matches("ς", "Σ"), true, "final sigma");
    assert.equal(matches("ß", "\u1e9e"), true, "capital sharp s");
    assert.equal(matches("\u{10428}", "\u{10400}"), true, "Deseret, outside the BMP");
  });

  it("does not fold fully, normalise or follow a locale", () => {
    assert.equal(matches("ss", "ß"), false);
    assert.equal(matches("é", "e\u0301"), false);
    assert.equal(matches("i", "İ"), false);
    assert.equal(matches("ı", "I"), false);
  });

  it("matches both letters of every newer case pair, whichever is searched", () => {
    for (const [letter, partner] of NEWER_CASE_PARTNERS) {
      const [a, b] = [String.fromCodePoint(letter), String.fromCodePoint(partner)];
      assert.ok(matches(a, `x${b}y`) && matches(a, a), letter.toString(16));
    }
    assert.equal(NEWER_CASE_PARTNERS.size, 110);
  });

  it("is checked against Unicode 17.0: regenerate NEWER_CASE_PAIRS for another version", () => {
    assert.equal(process.versions.unicode, "17.0");
  });
});
