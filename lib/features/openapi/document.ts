// The OpenAPI 3.1 document of the API, built from the routes' declarations
// (define-route.ts): their zod schemas become JSON Schema through
// z.toJSONSchema, and each handler's access becomes its security requirement.
import { z } from "zod";
import packageJson from "@/package.json";
import { rolesAllowed } from "@/lib/records/auth/roles";
import { SESSION_COOKIE } from "@/lib/records/auth/session-token";
import { ERROR_STATUS, type ErrorCode } from "@/lib/platform/http/errors";
import type { Access } from "@/lib/features/requests/handler";
import { namedComponents } from "./components";
import {
  HTTP_METHODS,
  TAGS,
  type Answer,
  type HttpMethod,
  type Media,
  type Operation,
  type Parameter,
  type RouteDeclaration,
} from "./define-route";
import { errorAnswers, UNEXPECTED_ERRORS } from "./errors";

export type JsonObject = { [key: string]: unknown };

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes: Record<string, JsonObject> };
};

const SCHEMAS_URI = "#/components/schemas/";
// Schemas without a component name are converted under a temporary one, then written in place.
const INLINE_PREFIX = "__inline_";

const SECURITY_SCHEMES = {
  apiKey: {
    type: "http",
    scheme: "bearer",
    description:
      "An API key (`llk_…`) as `Authorization: Bearer <key>`, from `npm run apikey -- create` or Settings. Its scopes (`ingest`, `read`) are listed in each operation's requirement.",
  },
  session: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "The session cookie POST /api/auth/login sets. Writes with it must come from this site: an Origin header naming this host and a JSON (or multipart) body. The roles that may call an operation are listed in its requirement.",
  },
} as const;

const SAFE_METHODS: readonly HttpMethod[] = ["GET", "HEAD", "OPTIONS"];

/** The document of every declared route; throws naming the route when a declaration does not fit its handler or path. */
export function buildOpenApiDocument(routes: readonly RouteDeclaration[]): OpenApiDocument {
  const schemas = new SchemaConverter();
  const paths: OpenApiDocument["paths"] = {};
  for (const declaration of routes) {
    if (paths[declaration.path]) throw new Error(`OpenAPI: ${declaration.path} is declared twice`);
    paths[declaration.path] = pathItem(schemas, declaration);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Ledgerline API",
      version: packageJson.version,
      description:
        'Secure logging: send security events, read, search and export them, follow alerts and verify the signed ledger. Every error answers `{"error": {"code", "message", "details"}}`.',
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas: schemas.finish(), securitySchemes: SECURITY_SCHEMES },
  };
}

function pathItem(schemas: SchemaConverter, { path, route, operations }: RouteDeclaration): Record<string, JsonObject> {
  const item: Record<string, JsonObject> = {};
  for (const method of HTTP_METHODS) {
    const handler = route[method];
    const operation = operations[method];
    const where = `${method} ${path}`;
    if (typeof handler !== "function" && operation === undefined) continue;
    if (typeof handler !== "function" || operation === undefined) {
      throw new Error(
        `OpenAPI: ${where} ${operation ? "is declared but the route does not export it" : "has no declared operation"}`,
      );
    }
    const access = (handler as { access?: Access }).access;
    if (!access) throw new Error(`OpenAPI: ${where} has a handler not made by apiHandler, so no access to state`);
    checkPathParameters(where, path, operation.parameters ?? []);
    item[method.toLowerCase()] = operationObject(schemas, where, method, operation, access);
  }
  return item;
}

function operationObject(
  schemas: SchemaConverter,
  where: string,
  method: HttpMethod,
  operation: Operation,
  access: Access,
): JsonObject {
  const errors: ErrorCode[] = [...authenticationErrors(method, access), ...(operation.errors ?? [])];
  const failures = errorAnswers(errors, operation.errorFormat);
  for (const status of Object.keys(failures)) {
    if (status in operation.responses)
      throw new Error(`OpenAPI: ${where} declares ${status} as an answer and as an error`);
  }
  // A route that answers a status itself (GET /api/health's 503) documents that answer, not the wrapper's error.
  const unexpected = UNEXPECTED_ERRORS.filter((code) => !(ERROR_STATUS[code] in operation.responses));
  const responses = {
    ...operation.responses,
    ...errorAnswers([...errors, ...unexpected], operation.errorFormat),
  } as Record<number, Answer>;
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: [operation.description, accessSentence(access)].filter(Boolean).join("\n\n"),
    tags: [operation.tag],
    security: securityOf(access),
    ...(operation.parameters?.length && {
      parameters: operation.parameters.map((parameter) => parameterObject(schemas, parameter)),
    }),
    ...(operation.body && {
      requestBody: {
        required: true,
        ...(operation.body.description && { description: operation.body.description }),
        content: contentObject(schemas, operation.body.content),
      },
    }),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, answer]) => [status, answerObject(schemas, answer)]),
    ),
  };
}

function authenticationErrors(method: HttpMethod, access: Access): ErrorCode[] {
  if ("public" in access) return [];
  const codes: ErrorCode[] = ["unauthorized", "forbidden"];
  if (access.role && !access.duringEnrolment) codes.push("mfa_enrolment_required");
  // The cross-site check of cookie-authenticated writes asks for a JSON (or multipart) body.
  if (access.role && !SAFE_METHODS.includes(method)) codes.push("unsupported_media_type");
  return codes;
}

function accessSentence(access: Access): string {
  if ("public" in access) return "Public: no authentication.";
  const who = [
    access.scope && `API keys with the \`${access.scope}\` scope`,
    access.role && `signed-in ${rolesAllowed(access.role)}`,
  ].filter(Boolean);
  const enrolling = access.duringEnrolment
    ? ", also administrators REQUIRE_MFA_FOR_ADMINS holds back until they enrol"
    : "";
  return `Who may call it: ${who.join("; ")}${enrolling}.`;
}

function securityOf(access: Access): Record<string, string[]>[] {
  if ("public" in access) return [];
  return [...(access.scope ? [{ apiKey: [access.scope] }] : []), ...(access.role ? [{ session: [access.role] }] : [])];
}

function checkPathParameters(where: string, path: string, parameters: readonly Parameter[]): void {
  const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!).sort();
  const declared = parameters
    .filter((parameter) => parameter.in === "path")
    .map((parameter) => parameter.name)
    .sort();
  if (inPath.join() !== declared.join()) {
    throw new Error(
      `OpenAPI: ${where} has path parameters ${inPath.join(", ") || "none"} but declares ${declared.join(", ") || "none"}`,
    );
  }
}

function parameterObject(schemas: SchemaConverter, parameter: Parameter): JsonObject {
  const { schema, required, ...rest } = parameter;
  return { ...rest, required: required ?? false, schema: schemas.use(schema) };
}

function answerObject(schemas: SchemaConverter, answer: Answer): JsonObject {
  return {
    description: answer.description,
    ...(answer.headers && {
      headers: Object.fromEntries(
        Object.entries(answer.headers).map(([name, header]) => [
          name,
          { description: header.description, schema: schemas.use(header.schema) },
        ]),
      ),
    }),
    ...(answer.content && { content: contentObject(schemas, answer.content) }),
  };
}

function contentObject(schemas: SchemaConverter, content: Record<string, Media>): JsonObject {
  return Object.fromEntries(
    Object.entries(content).map(([type, media]) => [type, { ...media, schema: schemas.use(media.schema) }]),
  );
}

/**
 * Converts every zod schema in one pass, so that a named component used
 * inside another schema becomes a $ref to it; `use` answers a placeholder
 * that `finish` fills in.
 */
class SchemaConverter {
  readonly #ids = new Map<z.ZodType, string>();
  readonly #placeholders: { target: JsonObject; id: string }[] = [];

  constructor() {
    for (const [name, schema] of namedComponents()) this.#ids.set(schema, name);
  }

  use(schema: z.ZodType): JsonObject {
    let id = this.#ids.get(schema);
    if (id === undefined) {
      id = `${INLINE_PREFIX}${this.#ids.size}`;
      this.#ids.set(schema, id);
    }
    const target: JsonObject = {};
    this.#placeholders.push({ target, id });
    return target;
  }

  /** Fills every placeholder; answers the named components. */
  finish(): Record<string, JsonObject> {
    const registry = z.registry<{ id: string }>();
    for (const [schema, id] of this.#ids) registry.add(schema, { id });
    const converted = z.toJSONSchema(registry, {
      target: "draft-2020-12",
      io: "input",
      unrepresentable: "any",
      uri: (id) => `${SCHEMAS_URI}${id}`,
      override: withoutLooseDateTimeFormat,
    }).schemas;
    if ("__shared" in converted) throw new Error("OpenAPI: a schema refers to itself; give it a component name");
    const bodies = new Map(
      Object.entries(converted).map(([id, { $schema: _schema, $id: _id, ...body }]) => [id, body as JsonObject]),
    );
    const inline = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(inline);
      if (value === null || typeof value !== "object") return value;
      const { $ref, ...rest } = value as JsonObject;
      const entries = Object.entries(rest).map(([key, entry]) => [key, inline(entry)]);
      if (typeof $ref === "string" && $ref.startsWith(`${SCHEMAS_URI}${INLINE_PREFIX}`)) {
        return {
          ...(inline(bodies.get($ref.slice(SCHEMAS_URI.length))) as JsonObject),
          ...Object.fromEntries(entries),
        };
      }
      return { ...($ref === undefined ? {} : { $ref }), ...Object.fromEntries(entries) };
    };
    for (const { target, id } of this.#placeholders) {
      Object.assign(target, id.startsWith(INLINE_PREFIX) ? inline(bodies.get(id)) : { $ref: `${SCHEMAS_URI}${id}` });
    }
    const components: Record<string, JsonObject> = {};
    for (const [id, body] of [...bodies].sort(([a], [b]) => a.localeCompare(b))) {
      if (!id.startsWith(INLINE_PREFIX)) components[id] = inline(body) as JsonObject;
    }
    return components;
  }
}

/**
 * z.iso.datetime() without a precision also takes a time without seconds
 * (12:00Z), which JSON Schema's date-time (RFC 3339) refuses: such a schema
 * keeps only its pattern, which says what it takes.
 */
function withoutLooseDateTimeFormat({
  zodSchema,
  jsonSchema,
}: {
  zodSchema: z.core.$ZodTypes;
  jsonSchema: z.core.JSONSchema.BaseSchema;
}): void {
  const def = zodSchema._zod.def;
  if (
    def.type === "string" &&
    "format" in def &&
    def.format === "datetime" &&
    !("precision" in def && typeof def.precision === "number" && def.precision >= 0)
  ) {
    delete jsonSchema.format;
  }
}
