// .env.local.example is the one list of settings: every variable the configuration
// reads appears there as `NAME=` at the start of a line, once, and every line there
// names a variable the configuration reads. Run from the repository root, as `npm test` does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ENV_VARIABLES } from "@/lib/foundation/config";

const EXAMPLE = ".env.local.example";
const READER = "lib/foundation/config.ts";

function exampleNames(): string[] {
  return [...readFileSync(EXAMPLE, "utf8").matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? "");
}

describe(".env.local.example", () => {
  it("lists every variable the configuration reads as NAME= at the start of a line", () => {
    const listed = new Set(exampleNames());
    const missing = ENV_VARIABLES.filter((name) => !listed.has(name)).sort();
    assert.deepEqual(missing, [], `${EXAMPLE} lacks ${missing.join(", ")} (read by ${READER})`);
  });

  it("lists only variables the configuration reads, each once", () => {
    const read = new Set(ENV_VARIABLES);
    const listed = exampleNames();
    const unread = listed.filter((name) => !read.has(name)).sort();
    assert.deepEqual(unread, [], `${EXAMPLE} lists ${unread.join(", ")}, which ${READER} does not read`);
    const repeated = listed.filter((name, index) => listed.indexOf(name) !== index);
    assert.deepEqual(repeated, [], `${EXAMPLE} lists ${repeated.join(", ")} more than once`);
  });
});
