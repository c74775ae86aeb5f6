// How a route states its operations for the OpenAPI document: a file
// `openapi.ts` next to each `route.ts` calls defineRoute with the route
// module and, per exported method, the zod schemas the handler parses with.
import { z } from "zod";
import type { ErrorCode } from "@/lib/platform/http/errors";
import type { Access } from "@/lib/features/requests/handler";

export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The document's tags, in its order. */
export const TAGS = {
  logs: "Sending, reading and exporting logs.",
  alerts: "Stored findings and their lifecycle.",
  anomalies: "Findings computed on demand over a time range.",
  integrity: "Checkpoints, their public keys and verification.",
  auth: "Signing in and out, and two-factor sign-in.",
  keys: "API keys for services (administrators).",
  users: "People who sign in (administrators).",
  import: "Uploading files of logs (administrators).",
  meta: "The service itself.",
} as const;
export type Tag = keyof typeof TAGS;

/** One media type of a body or an answer; `example` and each of `examples` must pass `schema`. */
export type Media = {
  schema: z.ZodType;
  example?: unknown;
  examples?: Record<string, { summary: string; value: unknown }>;
};

export type Parameter = {
  in: "query" | "path" | "header";
  name: string;
  description: string;
  schema: z.ZodType;
  required?: boolean;
  /** An object whose properties are the parameters (`meta.host.name=…`). */
  style?: "form";
  explode?: boolean;
  /** A query parameter sent empty (name=) counts as not sent. */
  allowEmptyValue?: boolean;
  example?: unknown;
};

export type Answer = {
  description: string;
  content?: Record<string, Media>;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
};

/** How an operation writes its errors, per media type; `example` rewrites an example of the envelope's `error`. */
export type ErrorFormat = Record<
  string,
  { schema: z.ZodType; example?: (error: { code: ErrorCode; message: string; details: unknown }) => unknown }
>;

export type Operation = {
  /** The method name a generated client gives the operation. */
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  parameters?: Parameter[];
  body?: { description?: string; content: Record<string, Media> };
  /** The successful answers; errors come from `errors` and the handler's access. */
  responses: Partial<Record<number, Answer>>;
  /** The error codes the handler itself answers, beyond authentication's. */
  errors?: ErrorCode[];
  /** For a protocol with errors of its own; the error envelope when absent. */
  errorFormat?: ErrorFormat;
};

/** Every handler is made by apiHandler, which carries the access the document states. */
type OperationFor<Handler> = Handler extends { access: Access } ? Operation : never;

type ExportedMethods<Route> = Extract<keyof Route, HttpMethod>;

export type RouteOperations<Route> = { [Method in ExportedMethods<Route>]: OperationFor<Route[Method]> };

export type RouteDeclaration = {
  /** The path as OpenAPI writes it: `/api/keys/{id}` for app/api/keys/[id]/route.ts. */
  path: string;
  /** The route module, read only when the document is built (the document's own route imports its declaration). */
  route: Readonly<Record<string, unknown>>;
  operations: Partial<Record<HttpMethod, Operation>>;
};

/** The declaration of one route file; TypeScript asks for an operation per method the route exports. */
export function defineRoute<Route extends object>(
  path: string,
  route: Route,
  operations: RouteOperations<Route>,
): RouteDeclaration {
  return { path, route: route as Readonly<Record<string, unknown>>, operations };
}

/** A JSON body or answer with an example checked against its schema. */
export function json<Schema extends z.ZodType>(
  schema: Schema,
  example: z.input<Schema>,
): Record<"application/json", Media> {
  return { "application/json": { schema, example } };
}

/** Text of one JSON value per line, each passing `line`: the NDJSON bodies and exports. */
export function ndjson(line: (value: unknown) => boolean, description: string) {
  return z
    .string()
    .refine(
      (text) => text.split("\n").every((row) => row.trim() === "" || line(parseOrUndefined(row))),
      "every line must be a valid item",
    )
    .meta({ description });
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One query or path parameter per field of an object schema, in its order, each with its description. */
export function parametersOf<Shape extends Record<string, z.ZodType>>(
  where: "query" | "path",
  schema: z.ZodObject<Shape>,
  descriptions: { [Name in keyof Shape]: string },
  examples: { [Name in keyof Shape]?: z.input<Shape[Name]> } = {},
): Parameter[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    in: where,
    name,
    description: descriptions[name as keyof Shape],
    schema: field,
    required: where === "path" || !field.isOptional(),
    ...(name in examples && { example: examples[name as keyof Shape] }),
  }));
}
