// An OTLP export of logs, record by record (OTLP's partial success): each
// record is mapped (./map-record.ts), held to the API key's bindings and
// stored through the import's per-row path, and a record that fails any step
// is rejected alone, with the reason, while the others are stored.
import type { Db } from "mongodb";
import type { DatabaseBudget } from "@/lib/platform/db/time-budget";
import { ApiError } from "@/lib/platform/http/errors";
import type { Principal } from "@/lib/features/requests/principal";
import { ingestOptionsFor, keyBindingsPerItem } from "@/lib/features/requests/ingest-request";
import { storeBatch, type Candidate } from "@/lib/features/import/store-batch";
import { mapLogRecord, readResource, SERVICE_NAME, type RecordProblem, type ResourceContext } from "./map-record";
import type { ExportLogsRequest } from "./read-request";

/** `at`: the record's path in the request; each problem's field is named within the record (`resource.` for its resource's). */
export type RejectedRecord = { at: string; problems: RecordProblem[] };
export type ExportLogsResult = { records: number; stored: number; alreadyThere: number; rejected: RejectedRecord[] };

type Located = { at: string; record: unknown; resource: ResourceContext };

// Where a problem found after mapping sits in the record.
const RECORD_FIELDS: Record<string, string> = {
  source: `resource.attributes["${SERVICE_NAME}"]`,
  timestamp: "timeUnixNano",
};

export async function exportLogs(
  db: Db,
  principal: Principal,
  request: ExportLogsRequest,
  maxRecords: number,
  budget: DatabaseBudget,
): Promise<ExportLogsResult> {
  const records = recordsOf(request);
  if (records.length > maxRecords) {
    throw new ApiError(
      "payload_too_large",
      `The request has ${records.length} log records; at most ${maxRecords} are accepted at once.`,
    );
  }
  const options = ingestOptionsFor(principal, budget);
  const rejected = new Map<number, RejectedRecord>();
  const reject = (index: number, problems: RecordProblem[]) => {
    const entry = rejected.get(index) ?? { at: records[index]!.at, problems: [] };
    entry.problems.push(...problems);
    rejected.set(index, entry);
  };

  const mapped: { index: number; input: Candidate["input"] }[] = [];
  records.forEach(({ record, resource }, index) => {
    const result = mapLogRecord(record, resource, options.ingestedBy);
    if ("problems" in result) reject(index, result.problems);
    else mapped.push({ index, input: result.input });
  });

  const bound = await keyBindingsPerItem(
    db,
    principal,
    mapped.map(({ input }) => input),
    budget,
  );
  for (const { index, field, message } of bound.problems)
    reject(mapped[index]!.index, [{ field: RECORD_FIELDS[field] ?? field, message }]);
  const refusedByBinding = new Set(bound.problems.map((problem) => problem.index));
  const candidates: Candidate[] = bound.inputs.flatMap((input, position) =>
    refusedByBinding.has(position) ? [] : [{ line: mapped[position]!.index, input: input as Candidate["input"] }],
  );

  const outcome = await storeBatch(db, candidates, options);
  for (const { line, problems } of outcome.refused)
    reject(
      line,
      problems.map(({ field, message }) => ({ field: RECORD_FIELDS[field] ?? field, message })),
    );
  return {
    records: records.length,
    stored: outcome.imported,
    alreadyThere: outcome.alreadyThere,
    rejected: [...rejected.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry),
  };
}

function recordsOf(request: ExportLogsRequest): Located[] {
  return (request.resourceLogs ?? []).flatMap((resourceLogs, r) => {
    const resource = readResource(resourceLogs.resource);
    return (resourceLogs.scopeLogs ?? []).flatMap((scopeLogs, s) =>
      (scopeLogs.logRecords ?? []).map((record, l) => ({
        at: `resourceLogs[${r}].scopeLogs[${s}].logRecords[${l}]`,
        record,
        resource,
      })),
    );
  });
}
