// lib/platform/http/route-methods.ts, which the proxy answers 405 from, lists exactly
// the methods each declared route exports.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ROUTE_METHODS } from "@/lib/platform/http/route-methods";
import { HTTP_METHODS } from "@/lib/features/openapi/define-route";
import { ROUTES } from "./routes";

describe("ROUTE_METHODS", () => {
  it("lists every route's exported methods, and nothing else", () => {
    const exported = Object.fromEntries(
      ROUTES.map(({ path, route }) => [
        path,
        HTTP_METHODS.filter((method) => typeof (route as Record<string, unknown>)[method] === "function"),
      ]),
    );
    assert.deepEqual({ ...ROUTE_METHODS }, exported);
  });
});
