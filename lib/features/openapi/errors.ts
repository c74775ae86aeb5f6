// The error envelope every handler answers with (lib/platform/http/errors.ts), as a
// schema, and the error answers of an operation grouped by status.
import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/platform/http/errors";
import type { FieldProblem } from "@/lib/platform/http/validation";
import { component } from "./components";
import type { Answer, ErrorFormat } from "./define-route";
import { answerSchema } from "./wire";

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

const FieldProblemAnswer = component(
  "FieldProblem",
  answerSchema<FieldProblem>()(
    z.object({
      index: z.int().min(0).optional().meta({ description: "The item of a batch, from 0." }),
      field: z.string().meta({ description: "The field, dotted for nested ones (`metadata.host`), or (body)." }),
      message: z.string(),
    }),
  ),
);

export const ErrorAnswer = component(
  "Error",
  z.object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().meta({ description: "What went wrong and what to do, for people." }),
      details: z.union([z.array(FieldProblemAnswer), z.record(z.string(), z.unknown()), z.null()]).meta({
        description:
          "Every problem of a validation_failed or conflict, or facts such as invalid_json's position; else null.",
      }),
    }),
  }),
);

type ErrorExample = z.input<typeof ErrorAnswer>["error"];

const EXAMPLES: Record<ErrorCode, Omit<ErrorExample, "code">> = {
  validation_failed: {
    message: "2 problems found; nothing was stored.",
    details: [
      { index: 0, field: "user", message: "is required" },
      { index: 1, field: "status", message: "must be 'success' or 'failed' ('failure' and 'fail' mean failed)" },
    ],
  },
  invalid_json: {
    message: "The request body is not valid JSON at line 1, column 12 (position 11): Unexpected token",
    details: { position: 11 },
  },
  unauthorized: { message: "Sign in, or send an API key as 'Authorization: Bearer <key>'.", details: null },
  second_factor_required: {
    message: "Enter the code from your authenticator app, or one of your recovery codes.",
    details: null,
  },
  forbidden: { message: "This API key does not have the 'read' scope.", details: null },
  mfa_enrolment_required: {
    message:
      "Administrators must turn on two-factor sign-in before anything else (REQUIRE_MFA_FOR_ADMINS): set it up under Settings.",
    details: null,
  },
  not_found: { message: "No checkpoint has been written yet.", details: null },
  conflict: {
    message: "The request uses a log_id twice with different content.",
    details: [{ index: 1, field: "log_id", message: "'evt-1' is also used at index 0 with different content" }],
  },
  payload_too_large: { message: "The request body is larger than 1048576 bytes.", details: null },
  unsupported_media_type: {
    message: "Content-Type must be application/json or application/x-ndjson, not text/plain.",
    details: null,
  },
  rate_limited: { message: "Too many failed sign-in attempts. Try again in 15 minutes.", details: null },
  internal_error: { message: "An unexpected error occurred.", details: null },
  database_unavailable: { message: "The database is unavailable; retry later.", details: null },
  server_busy: { message: "The server is busy with password checks; retry in a second.", details: null },
  storage_full: {
    message:
      "The database has no disk space left, so this request was not completed; logs sent with a log_id are stored once however often they are sent. Retry later.",
    details: null,
  },
};

const ENVELOPE: ErrorFormat = { "application/json": { schema: ErrorAnswer, example: (error) => ({ error }) } };

/** One answer per status among `codes`, with an example of each code. */
export function errorAnswers(codes: readonly ErrorCode[], format: ErrorFormat = ENVELOPE): Record<number, Answer> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes))
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => {
      const content = Object.fromEntries(
        Object.entries(format).map(([type, { schema, example }]) => {
          const examples =
            example &&
            Object.fromEntries(
              group.map((code) => [code, { summary: code, value: example({ code, ...EXAMPLES[code] }) }]),
            );
          return [type, { schema, ...(examples && { examples }) }];
        }),
      );
      return [status, { description: `Error codes: ${group.join(", ")}.`, content }];
    }),
  );
}

/** What any operation may answer besides its own: an unexpected error, or a database or server that cannot answer (or store) now. */
export const UNEXPECTED_ERRORS: readonly ErrorCode[] = [
  "internal_error",
  "database_unavailable",
  "server_busy",
  "storage_full",
];

/** What readJsonBody refuses (lib/platform/http/json-body.ts). */
export const JSON_BODY_ERRORS: readonly ErrorCode[] = ["validation_failed", "invalid_json", "payload_too_large"];
