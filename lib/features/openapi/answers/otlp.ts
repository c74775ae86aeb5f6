// OTLP/HTTP logs (POST /v1/logs) in the document: the ExportLogsServiceRequest
// from the schemas its records are read with, the response, and errors as
// google.rpc.Status.
import { z } from "zod";
import { ERROR_STATUS } from "@/lib/platform/http/errors";
import { FIELD_ATTRIBUTES, mapLogRecord, readResource, SERVICE_NAME } from "@/lib/features/otlp/map-record";
import { otlpStatusOf } from "@/lib/features/otlp/responses";
import { AnyValue, KeyValue, LogRecord, Resource } from "@/lib/features/otlp/schemas";
import { component } from "@/lib/features/openapi/components";
import type { ErrorFormat } from "@/lib/features/openapi/define-route";

component("OtlpAnyValue", AnyValue);
component("OtlpKeyValue", KeyValue);

const ResourceLogs = z.object({
  resource: component("OtlpResource", Resource),
  scopeLogs: z.array(z.object({ logRecords: z.array(component("OtlpLogRecord", LogRecord)).nullish() })).nullish(),
});

function recordsAllMap({ resourceLogs }: { resourceLogs?: z.output<typeof ResourceLogs>[] | null }): boolean {
  return (resourceLogs ?? []).every(({ resource, scopeLogs }) =>
    (scopeLogs ?? []).every(({ logRecords }) =>
      (logRecords ?? []).every((record) => "input" in mapLogRecord(record, readResource(resource), "key:example")),
    ),
  );
}

export const OtlpExportRequest = component(
  "OtlpExportLogsServiceRequest",
  z
    .object({ resourceLogs: z.array(ResourceLogs).nullish() })
    .refine(recordsAllMap, "every log record must map to a log"),
);

export const OtlpExportResponse = component(
  "OtlpExportLogsServiceResponse",
  z.object({
    partialSuccess: z
      .object({ rejectedLogRecords: z.int().min(1), errorMessage: z.string() })
      .optional()
      .meta({ description: "Only when records were rejected; the others were stored." }),
  }),
);

const OtlpStatus = component(
  "GoogleRpcStatus",
  z.object({
    code: z.int().meta({ description: "The google.rpc.Code closest to the HTTP status." }),
    message: z.string(),
  }),
);

/** A google.rpc.Status in the request's encoding, for every error. */
export const OTLP_ERRORS: ErrorFormat = {
  "application/json": { schema: OtlpStatus, example: (error) => otlpStatusOf(ERROR_STATUS[error.code], error.message) },
  "application/x-protobuf": { schema: z.file() },
};

const text = (value: string) => ({ stringValue: value });

export const EXAMPLE_OTLP_REQUEST: z.input<typeof OtlpExportRequest> = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: SERVICE_NAME, value: text("sshd") }] },
      scopeLogs: [
        {
          logRecords: [
            {
              timeUnixNano: "1769860800123456000",
              body: text("Failed password for alice from 203.0.113.9 port 52144 ssh2"),
              attributes: [
                { key: FIELD_ATTRIBUTES.ip[0], value: text("203.0.113.9") },
                { key: FIELD_ATTRIBUTES.user[0], value: text("alice") },
                { key: FIELD_ATTRIBUTES.action[0], value: text("ssh_login") },
                { key: FIELD_ATTRIBUTES.status[0], value: text("failure") },
              ],
            },
          ],
        },
      ],
    },
  ],
};
