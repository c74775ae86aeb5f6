// GET /api/openapi.json against the route files on disk: every route file
// and every method it exports has an operation, every example passes both
// its zod schema and the JSON Schema generated from it, and the document
// holds together as OpenAPI 3.1.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { before, describe, it } from "node:test";
import { z } from "zod";
import { SignInBody } from "@/lib/records/auth/user-schemas";
import { ERROR_STATUS, type ErrorCode } from "@/lib/platform/http/errors";
import { LogInput } from "@/lib/records/logs/schemas";
import { HTTP_METHODS, type Media } from "@/lib/features/openapi/define-route";
import type { JsonObject, OpenApiDocument } from "@/lib/features/openapi/document";
import { errorAnswers } from "@/lib/features/openapi/errors";
import { GET } from "./route";
import { ROUTES } from "./routes";

type RouteFile = { file: string; path: string };

// A shipper's probe for a template, which Ledgerline never keeps: its only answer is 404.
const ALWAYS_NOT_FOUND = new Set(["GET /_index_template/{name}"]);

/** Every app/**\/route.ts that Next.js serves, with its path as OpenAPI writes it. */
function routeFiles(): RouteFile[] {
  const files = (readdirSync("app", { recursive: true }) as string[]).filter(
    (file) => path.basename(file) === "route.ts",
  );
  return files.flatMap((file) => {
    const segments = path
      .dirname(file)
      .split(path.sep)
      .filter((segment) => segment !== ".");
    // Folders starting with _ are private: Next.js serves nothing in them.
    if (segments.some((segment) => segment.startsWith("_"))) return [];
    const served = segments.filter((segment) => !/^\(.*\)$/.test(segment) && !segment.startsWith("@"));
    const parts = served.map((segment) => {
      const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment);
      return dynamic ? `{${dynamic[1]}}` : decodeURIComponent(segment);
    });
    return [{ file: path.join("app", file), path: `/${parts.join("/")}` }];
  });
}

async function exportedMethods(file: string): Promise<string[]> {
  // A file URL, so that a %5F in a folder name stays the folder's own characters.
  const route = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  return HTTP_METHODS.filter((method) => typeof route[method] === "function");
}

let document: OpenApiDocument;
let response: Response;

before(async () => {
  response = await GET(new Request("http://localhost/api/openapi.json"), { params: Promise.resolve({}) });
  document = (await response.clone().json()) as OpenApiDocument;
});

describe("GET /api/openapi.json", () => {
  it("answers the document as JSON that any cache may keep for a while", () => {
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json\b/);
    assert.match(response.headers.get("cache-control") ?? "", /^public, max-age=\d+$/);
    assert.equal(document.openapi, "3.1.0");
  });

  it("has an operation for every route file on disk and every method it exports", async () => {
    const files = routeFiles();
    assert.ok(
      files.some((route) => route.path === "/api/openapi.json"),
      "found the route files",
    );
    const missing: string[] = [];
    for (const { file, path: routePath } of files) {
      for (const method of await exportedMethods(file)) {
        if (!document.paths[routePath]?.[method.toLowerCase()]) missing.push(`${method} ${routePath} (${file})`);
      }
    }
    assert.deepEqual(
      missing,
      [],
      "declare each in an openapi.ts next to its route.ts and list it in app/api/openapi.json/routes.ts",
    );
  });

  it("has no operation that no route file exports", async () => {
    const served = new Map<string, string[]>();
    for (const { file, path: routePath } of routeFiles())
      served.set(
        routePath,
        (await exportedMethods(file)).map((method) => method.toLowerCase()),
      );
    const extra = Object.entries(document.paths).flatMap(([routePath, item]) =>
      Object.keys(item)
        .filter((method) => !served.get(routePath)?.includes(method))
        .map((method) => `${method.toUpperCase()} ${routePath}`),
    );
    assert.deepEqual(extra, []);
  });

  it("is an OpenAPI 3.1 document whose operations are complete and whose $refs all resolve", () => {
    assert.equal(typeof document.info.title, "string");
    assert.match(document.info.version, /^\d+\.\d+\.\d+/);
    const tags = new Set(document.tags.map((tag) => tag.name));
    const schemes = new Set(Object.keys(document.components.securitySchemes));
    const operationIds = new Set<string>();
    for (const [routePath, item] of Object.entries(document.paths)) {
      assert.match(routePath, /^\//);
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${routePath}`;
        assert.ok(HTTP_METHODS.includes(method.toUpperCase() as (typeof HTTP_METHODS)[number]), where);
        const id = operation.operationId as string;
        assert.ok(id && !operationIds.has(id), `${where}: operationId ${id} is missing or taken`);
        operationIds.add(id);
        for (const tag of operation.tags as string[]) assert.ok(tags.has(tag), `${where}: tag ${tag} is not listed`);
        for (const requirement of operation.security as Record<string, string[]>[]) {
          for (const scheme of Object.keys(requirement))
            assert.ok(schemes.has(scheme), `${where}: no security scheme ${scheme}`);
        }
        const responses = Object.entries(operation.responses as Record<string, JsonObject>);
        assert.ok(
          responses.some(([status]) => /^2\d\d$/.test(status)) || ALWAYS_NOT_FOUND.has(where),
          `${where}: no successful answer`,
        );
        for (const [status, answer] of responses) {
          assert.match(status, /^[1-5]\d\d$|^default$/, where);
          assert.equal(typeof answer.description, "string", `${where} ${status}`);
        }
        const pathParameters = ((operation.parameters ?? []) as JsonObject[]).filter(
          (parameter) => parameter.in === "path",
        );
        for (const [, name] of routePath.matchAll(/\{([^}]+)\}/g)) {
          assert.ok(
            pathParameters.some((parameter) => parameter.name === name && parameter.required === true),
            `${where}: path parameter ${name}`,
          );
        }
      }
    }
    const unresolved = collectRefs(document).filter((ref) => resolvePointer(document, ref) === undefined);
    assert.deepEqual(unresolved, []);
  });

  it("states the security the handler enforces: none for public routes, an API key scope or session role for the rest", () => {
    const security = (method: string, routePath: string) => document.paths[routePath]![method]!.security;
    assert.deepEqual(security("get", "/api/health"), []);
    assert.deepEqual(security("get", "/api/openapi.json"), []);
    assert.deepEqual(security("post", "/api/logs"), [{ apiKey: ["ingest"] }]);
    assert.deepEqual(security("get", "/api/logs"), [{ apiKey: ["read"] }, { session: ["viewer"] }]);
    assert.deepEqual(security("delete", "/api/keys/{id}"), [{ session: ["admin"] }]);
  });

  it("has examples that pass the zod schemas they illustrate", () => {
    const failures: string[] = [];
    let checked = 0;
    const check = (where: string, schema: z.ZodType, value: unknown) => {
      checked++;
      const result = schema.safeParse(value);
      if (!result.success) failures.push(`${where}: ${z.prettifyError(result.error)}`);
    };
    const checkContent = (where: string, content: Record<string, Media> | undefined) => {
      for (const [type, media] of Object.entries(content ?? {})) {
        if (media.example !== undefined) check(`${where} ${type}`, media.schema, media.example);
        for (const [name, example] of Object.entries(media.examples ?? {}))
          check(`${where} ${type} ${name}`, media.schema, example.value);
      }
    };
    for (const declaration of ROUTES) {
      for (const [method, operation] of Object.entries(declaration.operations)) {
        const where = `${method} ${declaration.path}`;
        for (const parameter of operation.parameters ?? []) {
          if (parameter.example !== undefined) check(`${where} ${parameter.name}`, parameter.schema, parameter.example);
        }
        checkContent(`${where} body`, operation.body?.content);
        for (const [status, answer] of Object.entries(operation.responses))
          checkContent(`${where} ${status}`, answer?.content);
      }
    }
    const everyError = errorAnswers(Object.keys(ERROR_STATUS) as ErrorCode[]);
    for (const [status, answer] of Object.entries(everyError)) checkContent(`error ${status}`, answer.content);
    assert.ok(checked > 50, `only ${checked} examples checked`);
    assert.deepEqual(failures, []);
  });

  it("has examples that pass the JSON Schemas the document gives for them", () => {
    const failures: string[] = [];
    let checked = 0;
    const check = (where: string, schema: JsonObject, value: unknown) => {
      checked++;
      const result = jsonSchemaValidator(schema).safeParse(value);
      if (!result.success) failures.push(`${where}: ${z.prettifyError(result.error)}`);
    };
    for (const [routePath, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${routePath}`;
        for (const parameter of (operation.parameters ?? []) as JsonObject[]) {
          if ("example" in parameter)
            check(`${where} ${parameter.name}`, parameter.schema as JsonObject, parameter.example);
        }
        const requestBody = operation.requestBody as { content: Record<string, JsonObject> } | undefined;
        const answers = Object.entries(operation.responses as Record<string, { content?: Record<string, JsonObject> }>);
        const contents = [
          ["body", requestBody?.content] as const,
          ...answers.map(([status, answer]) => [status, answer.content] as const),
        ];
        for (const [part, content] of contents) {
          for (const [type, media] of Object.entries(content ?? {})) {
            const schema = media.schema as JsonObject;
            if ("example" in media) check(`${where} ${part} ${type}`, schema, media.example);
            for (const [name, example] of Object.entries(
              (media.examples ?? {}) as Record<string, { value: unknown }>,
            )) {
              check(`${where} ${part} ${type} ${name}`, schema, example.value);
            }
          }
        }
      }
    }
    assert.ok(checked > 100, `only ${checked} examples checked`);
    assert.deepEqual(failures, []);
  });

  it("refuses in its schemas the logs and sign-ins that the handlers' schemas refuse", () => {
    const log = { user: "alice", action: "login", status: "failed" };
    const logs: Record<string, unknown> = {
      "blank user": { ...log, user: "  " },
      "empty action": { ...log, action: "" },
      "unknown status": { ...log, status: "pending" },
      "NUL in a message": { ...log, message: "a\u0000b" },
      "empty metadata key": { ...log, metadata: { "": 1 } },
      "dotted metadata key": { ...log, metadata: { "a.b": 1 } },
      "reserved metadata key": { ...log, metadata: { constructor: 1 } },
    };
    const signIns: Record<string, unknown> = {
      "not an address": { email: "alice", password: "x" },
      "no domain": { email: "alice@", password: "x" },
    };
    const cases = [
      ["LogInput", LogInput, logs, { ...log, status: "fail", metadata: { "host-name": "web-1" } }],
      ["SignIn", SignInBody, signIns, { email: "alice@example.com", password: "x" }],
    ] as const;
    for (const [component, handlerSchema, refused, accepted] of cases) {
      const documented = jsonSchemaValidator({ $ref: `#/components/schemas/${component}` });
      assert.ok(documented.safeParse(accepted).success && handlerSchema.safeParse(accepted).success, component);
      for (const [name, value] of Object.entries(refused)) {
        assert.equal(handlerSchema.safeParse(value).success, false, `${component} ${name}: the handler takes it`);
        assert.equal(documented.safeParse(value).success, false, `${component} ${name}: the document allows it`);
      }
    }
  });
});

/** A zod validator for a schema of the document, its component $refs resolved. */
function jsonSchemaValidator(schema: JsonObject): z.ZodType {
  const toDefs = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
  const standalone = { ...(toDefs(schema) as JsonObject), $defs: toDefs(document.components.schemas) };
  return z.fromJSONSchema(standalone as Parameters<typeof z.fromJSONSchema>[0], { registry: z.registry() });
}

function collectRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(collectRefs);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, entry]) =>
    key === "$ref" && typeof entry === "string" ? [entry] : collectRefs(entry),
  );
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const token of ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))) {
    if (node === null || typeof node !== "object" || !(token in node)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}
