// The OTLP logs messages in binary protobuf, for OTLP/HTTP with
// application/x-protobuf: the messages of opentelemetry-proto v1.11.0 that an
// export of logs uses (common, resource, logs, the logs collector service) and
// google.rpc.Status, with their field numbers and types unchanged. Fields are
// camelCased, so a decoded request has the shape of the OTLP/JSON encoding.
import protobuf from "protobufjs";

const COMMON = `
syntax = "proto3";
package opentelemetry.proto.common.v1;
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue {
  string key = 1;
  AnyValue value = 2;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}`;

const RESOURCE = `
syntax = "proto3";
package opentelemetry.proto.resource.v1;
message Resource {
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}`;

const LOGS = `
syntax = "proto3";
package opentelemetry.proto.logs.v1;
message ResourceLogs {
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  opentelemetry.proto.common.v1.AnyValue body = 5;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}`;

const SERVICE = `
syntax = "proto3";
package opentelemetry.proto.collector.logs.v1;
message ExportLogsServiceRequest { repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}`;

const STATUS = `
syntax = "proto3";
package google.rpc;
message Status {
  int32 code = 1;
  string message = 2;
}`;

const root = new protobuf.Root();
for (const source of [COMMON, RESOURCE, LOGS, SERVICE, STATUS]) protobuf.parse(source, root);

const SERVICE_PACKAGE = "opentelemetry.proto.collector.logs.v1";
const ExportLogsServiceRequest = root.lookupType(`${SERVICE_PACKAGE}.ExportLogsServiceRequest`);
const ExportLogsServiceResponse = root.lookupType(`${SERVICE_PACKAGE}.ExportLogsServiceResponse`);
const Status = root.lookupType("google.rpc.Status");

/**
 * The request as plain values, 64-bit integers as decimal strings and bytes as
 * base64 (as OTLP/JSON writes them, but for trace and span ids, which we do not read).
 * Throws on bytes that are not such a message, or nest deeper than protobufjs' limit.
 */
export function decodeExportLogsRequest(bytes: Uint8Array): unknown {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(bytes), { longs: String, bytes: String });
}

/** What an OTLP client sends: the request in OTLP/JSON's shape, as protobuf. */
export function encodeExportLogsRequest(request: object): Uint8Array {
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
}

export function encodeExportLogsResponse(response: {
  partialSuccess?: { rejectedLogRecords: number; errorMessage: string };
}): Uint8Array {
  return ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(response)).finish();
}

export function encodeStatus(status: { code: number; message: string }): Uint8Array {
  return Status.encode(Status.fromObject(status)).finish();
}

/** What an OTLP client reads: the response to an export, or the Status of a failure. */
export function decodeExportLogsResponse(bytes: Uint8Array): unknown {
  return ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(bytes), { longs: Number });
}

export function decodeStatus(bytes: Uint8Array): unknown {
  return Status.toObject(Status.decode(bytes));
}
