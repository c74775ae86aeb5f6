// The layer rule (eslint-rules/layers.mjs) flags an import that points up the
// map or out of lib/, and lets one that points down or sideways pass.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { Linter } from "eslint";
import layers from "../../eslint-rules/layers.mjs";

function problems(file: string, code: string): string[] {
  const linter = new Linter({ configType: "flat" });
  const config = { files: ["**/*.ts"], plugins: { layers }, rules: { "layers/no-upward-import": "error" as const }, languageOptions: { sourceType: "module" as const } };
  return linter.verify(code, config, { filename: path.resolve(file) }).map((message) => message.message);
}

describe("layers/no-upward-import", () => {
  it("flags an import from a layer above, by alias or relative path", () => {
    const [byAlias] = problems("lib/logs/ingest.ts", 'import { searchLogs } from "@/lib/search/read";');
    assert.match(byAlias ?? "", /lib\/logs\/ingest \(records\) imports lib\/search\/read \(derived data\), a layer above it/);
    assert.equal(problems("lib/db/client.ts", 'export { x } from "../explorer/log-pages";').length, 1);
  });

  it("flags lib/ importing the app, components or scripts", () => {
    assert.match(problems("lib/alerts/query.ts", 'import { x } from "@/components/ui/buttons";')[0] ?? "", /lib\/ must not import/);
  });

  it("lets imports point down or sideways, and places pure modules where the map says", () => {
    assert.deepEqual(problems("lib/search/read.ts", 'import { logMatcher } from "@/lib/logs/query";\nimport { x } from "./layout";'), []);
    assert.deepEqual(problems("lib/config.ts", 'import { DetectionConfigSchema } from "./anomaly/config";'), []);
    assert.equal(problems("lib/config.ts", 'import { createDetector } from "./anomaly/detector";').length, 1);
  });
});
