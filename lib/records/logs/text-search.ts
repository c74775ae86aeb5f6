// Free-text search (the explorer's `q`): a case-insensitive substring match,
// run as a $regex by the database and as a RegExp in JS, from one pattern.
//
// The rule: Unicode simple case folding (CaseFolding.txt, statuses C and S),
// character by character; no full folding (ß does not match "ss"), no
// normalisation (é does not match e + U+0301), no locale (I and ı differ).
// That is what Go's RE2 applies for (?i), which is how the embedded server
// (FerretDB) runs $options "i", and what JS applies with the flags "iu". JS
// without "u" differs: /k/i does not match the Kelvin sign K, RE2 and /k/iu do.
// The tables differ only for letters whose case pair is newer than Go's
// Unicode 15.0 (Node here has Unicode 17): for those the pattern spells out
// both letters, so both engines match the pair. When Node or Go moves to
// another Unicode version, regenerate NEWER_CASE_PAIRS: every rune whose
// unicode.SimpleFold orbit in Go differs from its /^x$/iu class in Node
// (text-search.test.ts fails when Node's version changes).

/** The case pairs added in Unicode 16 and 17, as [first, partner of first, run length]. */
const NEWER_CASE_PAIRS: [number, number, number][] = [
  [0x019b, 0xa7dc, 1],
  [0x0264, 0xa7cb, 1],
  [0x1c89, 0x1c8a, 1],
  [0xa7cc, 0xa7cd, 1],
  [0xa7ce, 0xa7cf, 1],
  [0xa7d2, 0xa7d3, 1],
  [0xa7d4, 0xa7d5, 1],
  [0xa7da, 0xa7db, 1],
  [0x10d50, 0x10d70, 22], // Garay
  [0x16ea0, 0x16ebb, 25], // Beria Erfe
];

export const NEWER_CASE_PARTNERS: ReadonlyMap<number, number> = new Map(
  NEWER_CASE_PAIRS.flatMap(([first, partner, run]) =>
    Array.from({ length: run }, (_, offset): [number, number][] => [
      [first + offset, partner + offset],
      [partner + offset, first + offset],
    ]).flat(),
  ),
);

// The characters that are syntax in both RE2 and JS ("u" mode allows no other escapes).
const SYNTAX_CHARACTER = /[\\^$.*+?()[\]{}|]/;

/** The options the database runs the pattern with. */
export const SEARCH_REGEX_OPTIONS = "i";

/** `q` as a literal, unanchored pattern that both RE2 and JS ("iu") read the same way. */
export function searchPattern(q: string): string {
  let pattern = "";
  for (const character of q) {
    const partner = NEWER_CASE_PARTNERS.get(character.codePointAt(0)!);
    if (partner !== undefined) pattern += `[${character}${String.fromCodePoint(partner)}]`;
    else pattern += SYNTAX_CHARACTER.test(character) ? `\\${character}` : character;
  }
  return pattern;
}

/** The same search as a RegExp, matching exactly what the database's $regex matches. */
export function searchRegExp(q: string): RegExp {
  return new RegExp(searchPattern(q), `${SEARCH_REGEX_OPTIONS}u`);
}
