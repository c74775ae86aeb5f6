// The layer rule (eslint-rules/layers.mjs) flags an import that points up the
// map or out of lib/, and lets one that points down or sideways pass.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { Linter } from "eslint";
import layers from "../../eslint-rules/layers.mjs";

function problems(file: string, code: string): string[] {
  const linter = new Linter({ configType: "flat" });
  const config = {
    files: ["**/*.ts"],
    plugins: { layers },
    rules: { "layers/no-upward-import": "error" as const },
    languageOptions: { sourceType: "module" as const },
  };
  return linter.verify(code, config, { filename: path.resolve(file) }).map((message) => message.message);
}

describe("layers/no-upward-import", () => {
  it("flags an import from a layer above, by alias or relative path", () => {
    const [byAlias] = problems("lib/records/logs/ingest.ts", 'import { searchLogs } from "@/lib/derived/search/read";');
    assert.match(
      byAlias ?? "",
      /lib\/records\/logs\/ingest \(records\) imports lib\/derived\/search\/read \(derived\), a layer above it/,
    );
    assert.equal(
      problems("lib/platform/db/client.ts", 'export { x } from "../../features/explorer/log-pages";').length,
      1,
    );
  });

  it("flags lib/ importing the app, components or scripts", () => {
    assert.match(
      problems("lib/derived/alerts/list-alerts.ts", 'import { x } from "@/components/ui/buttons";')[0] ?? "",
      /lib\/ must not import/,
    );
  });

  it("flags a module outside the layer folders", () => {
    assert.match(
      problems("lib/stray.ts", 'import { getConfig } from "@/lib/foundation/config";')[0] ?? "",
      /lib\/stray sits in no layer folder/,
    );
  });

  it("lets imports point down or sideways", () => {
    assert.deepEqual(
      problems(
        "lib/derived/search/read.ts",
        'import { logMatcher } from "@/lib/records/logs/criteria-query";\nimport { x } from "./layout";',
      ),
      [],
    );
    assert.deepEqual(
      problems("lib/foundation/config.ts", 'import { DetectionConfigSchema } from "./detection-config";'),
      [],
    );
    assert.deepEqual(
      problems("lib/records/audit/security-events.ts", 'import { ingestLogs } from "../logs/ingest";'),
      [],
    );
  });
});
