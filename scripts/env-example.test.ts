// .env.local.example is the one list of settings: every variable the configuration
// reads appears there as `NAME=` at the start of a line, and every line there names
// a variable something reads. Run from the repository root, as `npm test` does.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const EXAMPLE = ".env.local.example";

/** The one module that reads process.env. */
function configFile(): string {
  const file = "lib/foundation/config.ts";
  assert.ok(existsSync(file), `${file} does not exist: update this test`);
  return file;
}

/** Resolves an `@/…` or relative import of `from` to a .ts file. */
function resolveImport(from: string, specifier: string): string {
  const base = specifier.startsWith("@/") ? specifier.slice(2) : path.join(path.dirname(from), specifier);
  const found = [`${base}.ts`, path.join(base, "index.ts")].find((file) => existsSync(file));
  assert.ok(found, `${from} imports ${specifier}, which resolves to no .ts file`);
  return found;
}

/** The keys of `const EnvSchema = z.object({ … })`: one `NAME:` per line at the object's top level. */
function envSchemaNames(source: string, file: string): string[] {
  const start = source.indexOf("const EnvSchema = z.object({");
  assert.ok(start >= 0, `${file} declares no \`const EnvSchema = z.object({\``);
  const end = source.indexOf("\n});", start);
  assert.ok(end > start, `${file}: the end of EnvSchema was not found`);
  return [...source.slice(start, end).matchAll(/^\s{2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] ?? "");
}

/** Names read directly: `process.env.X`, `env.X`, `env["X"]`. */
function directReads(source: string): string[] {
  return [...source.matchAll(/\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\["([A-Z][A-Z0-9_]*)"\])/g)].map(
    (match) => match[1] ?? match[2] ?? "",
  );
}

/**
 * The other readers the configuration module delegates to, each with the names it reads: the
 * detection settings (ANOMALY_*), read by the module that exports detectionConfigFromEnv through
 * its DETECTION_ENV table.
 */
function delegatedReads(source: string, file: string): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  const detection = /import\s*\{[^}]*\bdetectionConfigFromEnv\b[^}]*\}\s*from\s*"([^"]+)"/.exec(source);
  assert.ok(detection?.[1], `${file} no longer imports detectionConfigFromEnv: update this test's list of readers`);
  const detectionFile = resolveImport(file, detection[1]);
  const table = /DETECTION_ENV[^=]*=\s*\{([\s\S]*?)\n\};/.exec(readFileSync(detectionFile, "utf8"));
  assert.ok(table?.[1], `${detectionFile} has no DETECTION_ENV table`);
  readers.set(
    detectionFile,
    [...table[1].matchAll(/:\s*"([A-Z][A-Z0-9_]*)"/g)].map((match) => match[1] ?? ""),
  );
  return readers;
}

function exampleNames(): string[] {
  return [...readFileSync(EXAMPLE, "utf8").matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((match) => match[1] ?? "");
}

function readNames(): { names: Set<string>; readers: string[] } {
  const file = configFile();
  const source = readFileSync(file, "utf8");
  const delegated = delegatedReads(source, file);
  const names = new Set([...envSchemaNames(source, file), ...directReads(source), ...[...delegated.values()].flat()]);
  return { names, readers: [file, ...delegated.keys()] };
}

describe(".env.local.example", () => {
  it("finds the configuration's variables (a sanity check of the parsing)", () => {
    const { names } = readNames();
    for (const name of ["MONGODB_URI", "SESSION_SECRET", "IMPORT_MAX_UPLOAD_BYTES", "ANOMALY_BURST_THRESHOLD"]) {
      assert.ok(names.has(name), `${name} was not found among the variables the configuration reads`);
    }
  });

  it("lists every variable the configuration reads as NAME= at the start of a line", () => {
    const { names, readers } = readNames();
    const listed = new Set(exampleNames());
    const missing = [...names].filter((name) => !listed.has(name)).sort();
    assert.deepEqual(missing, [], `${EXAMPLE} lacks ${missing.join(", ")} (read by ${readers.join(", ")})`);
  });

  it("lists only variables the configuration reads, each once", () => {
    const { names, readers } = readNames();
    const listed = exampleNames();
    const unread = listed.filter((name) => !names.has(name)).sort();
    assert.deepEqual(unread, [], `${EXAMPLE} lists ${unread.join(", ")}, which none of ${readers.join(", ")} reads`);
    const repeated = listed.filter((name, index) => listed.indexOf(name) !== index);
    assert.deepEqual(repeated, [], `${EXAMPLE} lists ${repeated.join(", ")} more than once`);
  });
});
