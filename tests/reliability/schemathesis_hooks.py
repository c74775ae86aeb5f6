"""Schemathesis hooks for tests/reliability/schemathesis.test.ts: bodies whose wire
format JSON Schema cannot describe (NDJSON lines, OTLP protobuf) go out as written,
and OTLP's refusal of a bad record in partialSuccess counts as a refusal."""

import json

import schemathesis


def _wire_bytes(value):
    if isinstance(value, bytes):
        return value
    if hasattr(value, "data"):  # schemathesis's Binary (format: binary)
        return value.data
    if isinstance(value, str):
        return value.encode()
    # Negative mode may put another JSON value where the document says string.
    return json.dumps(value).encode()


@schemathesis.serializer("application/x-ndjson", "application/ndjson", "application/x-protobuf")
def raw_body(ctx, value):
    return _wire_bytes(value)


@schemathesis.serializer("application/json")
def json_or_bulk_lines(ctx, value):
    # Elasticsearch's _bulk takes NDJSON lines under application/json: the document's string is the body itself.
    if ctx.case.operation.path.endswith("/_bulk") and isinstance(value, str):
        return _wire_bytes(value)
    if isinstance(value, bytes):
        return value
    return json.dumps(value, allow_nan=False).encode()


@schemathesis.hook
def filter_failure(context, failure, case, response):
    # POST /v1/logs checks the envelope for the whole request but each resource and log record on its own
    # (lib/otlp/schemas.ts): one that breaks the schema is refused alone, in partialSuccess with 200 as OTLP
    # answers a request it partly accepts, and a resource without records has nothing to refuse.
    inside_records = case.operation.path == "/v1/logs" and _holds_together_to_its_records(case.body)
    return not (failure.code == "ST201" and inside_records)


def _holds_together_to_its_records(body):
    """Whether an OTLP/JSON export is well formed down to its resources and records (ExportLogsRequest)."""
    resource_logs = _items(body.get("resourceLogs")) if isinstance(body, dict) else None
    if resource_logs is None or not all(isinstance(item, dict) for item in resource_logs):
        return False
    for item in resource_logs:
        scope_logs = _items(item.get("scopeLogs"))
        if scope_logs is None or not all(isinstance(scope, dict) and _items(scope.get("logRecords")) is not None for scope in scope_logs):
            return False
    return True


def _items(value):
    """A repeated field's items: [] when unset (null), None when it is not a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else None
