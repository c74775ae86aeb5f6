// The document claims JSON Schema's date-time (RFC 3339: seconds required)
// only for values whose pattern requires seconds too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildOpenApiDocument } from "@/lib/features/openapi/document";
import { ROUTES } from "./routes";

const document = buildOpenApiDocument(ROUTES);

function stringSchemas(value: unknown): { format?: string; pattern?: string }[] {
  if (Array.isArray(value)) return value.flatMap(stringSchemas);
  if (value === null || typeof value !== "object") return [];
  const node = value as Record<string, unknown>;
  const own = node.type === "string" ? [node as { format?: string; pattern?: string }] : [];
  return [...own, ...Object.values(node).flatMap(stringSchemas)];
}

describe("date-times in GET /api/openapi.json", () => {
  it("say date-time only where the pattern also refuses a time without seconds", () => {
    const dateTimes = stringSchemas(document).filter((schema) => schema.format === "date-time");
    assert.ok(dateTimes.length > 0);
    for (const schema of dateTimes)
      assert.doesNotMatch("2026-01-31T12:00Z", new RegExp(schema.pattern ?? ""), JSON.stringify(schema));
  });

  it("describe GET /api/anomalies's from by the pattern it takes, minutes without seconds included", () => {
    type QueryParameter = { name: string; schema: { format?: string; pattern: string } };
    const parameters = document.paths["/api/anomalies"]!.get!.parameters as QueryParameter[];
    const from = parameters.find((parameter) => parameter.name === "from")!;
    assert.equal(from.schema.format, undefined);
    assert.match("2026-01-31T12:00Z", new RegExp(from.schema.pattern));
  });
});
