// What POST /_bulk does with the items of its body: each document mapped to
// log inputs (ECS fields, or a raw log line through the line parser), checked
// against the key's bindings, given its log_ids (document-ids.ts) and stored
// with a verdict of its own, then answered as Elasticsearch answers a bulk
// request, item by item (docs/shippers.md has the statuses).
import type { Db } from "mongodb";
import type { DatabaseBudget } from "@/lib/platform/db/time-budget";
import type { Principal } from "@/lib/features/requests/principal";
import { ingestOptionsFor, keyBindingsPerItem } from "@/lib/features/requests/ingest-request";
import { describeIssues, type FieldProblem } from "@/lib/platform/http/validation";
import { ingestEach, type IdentifiedInput, type LogVerdict } from "@/lib/records/logs/ingest-each";
import { claimProblem } from "@/lib/records/logs/parse-batch";
import { LogId, LogInput } from "@/lib/records/logs/schemas";
import { countSkippedLines } from "@/lib/records/logs/skipped-lines";
import type { BulkItem, Operation } from "./bulk-body";
import { DocumentIds } from "./document-ids";
import { ECS_FIELDS, mapEcsDocument, mergeMetadata } from "./ecs-document";
import { parseRawLine, type RawLineParser } from "./raw-line";

export type ItemError = { type: string; reason: string };
export type ItemAnswer = {
  _index?: string;
  _id: string | null;
  status: number;
  result?: "created" | "noop";
  error?: ItemError;
};
export type BulkAnswer = { took: number; errors: boolean; items: Partial<Record<Operation, ItemAnswer>>[] };

/** An item whose document became logs, on its way to storage. */
type Storable = { item: number; id?: string; inputs: LogInput[]; ids: string[] };

const FIELD_NAMES: Record<string, string> = { log_id: "_id" };
// Each source counted is a write: past this many in one request, the rest count under the key.
const MAX_SKIPPED_SOURCES = 32;

export async function ingestBulk(
  db: Db,
  principal: Principal,
  items: BulkItem[],
  options: { index?: string; parseLine?: RawLineParser; budget?: DatabaseBudget } = {},
): Promise<BulkAnswer> {
  const started = Date.now();
  const parseLine = options.parseLine ?? parseRawLine;
  const ingestedBy = ingestOptionsFor(principal).ingestedBy;
  const answers: ItemAnswer[] = [];
  const skipped = new Map<string, Map<string, number>>();
  const storable: Storable[] = [];

  items.forEach((item, index) => {
    const indexName = item.index ?? options.index;
    const answer = (status: number, rest: Pick<ItemAnswer, "result" | "error"> = {}): ItemAnswer => ({
      ...(indexName !== undefined && { _index: indexName }),
      _id: item.id ?? null,
      status,
      ...rest,
    });
    const outcome = logsOf(item, parseLine);
    if ("error" in outcome) answers[index] = answer(400, { error: outcome.error });
    else if ("skipped" in outcome) {
      const named = outcome.source ?? ingestedBy;
      const source = skipped.has(named) || skipped.size < MAX_SKIPPED_SOURCES ? named : ingestedBy;
      const reasons = skipped.get(source) ?? new Map<string, number>();
      reasons.set(outcome.skipped, (reasons.get(outcome.skipped) ?? 0) + 1);
      skipped.set(source, reasons);
      answers[index] = answer(200, { result: "noop" });
    } else {
      answers[index] = answer(201, { result: "created" });
      storable.push({ item: index, ...(item.id !== undefined && { id: item.id }), inputs: outcome.inputs, ids: [] });
    }
  });

  const allowed = await applyBindings(db, principal, storable, answers, options.budget);
  const documentIds = new DocumentIds(ingestedBy);
  const identified = allowed.filter((entry) => {
    entry.ids = documentIds.next(entry.inputs, entry.id);
    answers[entry.item]!._id = entry.ids[0]!;
    const bad = entry.ids.map((id) => LogId.safeParse(id)).find((result) => !result.success);
    if (bad)
      answers[entry.item] = {
        ...answers[entry.item]!,
        status: 400,
        result: undefined,
        error: { type: "illegal_argument_exception", reason: `_id ${bad.error!.issues[0]!.message}` },
      };
    return !bad;
  });
  await storeEach(db, principal, identified, answers, options.budget);
  if (skipped.size > 0) await countSkippedLines(db, skipped);

  return {
    took: Date.now() - started,
    errors: answers.some((answer) => answer.status >= 300),
    items: answers.map((answer, index) => ({ [items[index]!.operation]: withoutUndefined(answer) })),
  };
}

type LogsOutcome = { inputs: LogInput[] } | { skipped: string; source?: string } | { error: ItemError };

/** The item's document as validated log inputs, a line to skip, or why it cannot be stored. */
function logsOf(item: BulkItem, parseLine: RawLineParser): LogsOutcome {
  if (item.operation === "update" || item.operation === "delete") {
    return {
      error: {
        type: "illegal_argument_exception",
        reason: `stored logs cannot be changed: ${item.operation} is not supported, only index and create`,
      },
    };
  }
  if (item.problems.length > 0)
    return { error: { type: "illegal_argument_exception", reason: reasonOf(item.problems) } };
  if (!item.document || "problem" in item.document)
    return { error: mappingError(item.document?.problem ?? "the document is missing") };

  const mapped = mapEcsDocument(item.document.value);
  if (mapped.kind === "unmapped") return { error: mappingError(reasonOf(mapped.problems)) };
  if (mapped.kind === "event") {
    const checked = checkInput(
      mapped.log,
      (field) => mapped.origins[field as keyof typeof mapped.origins] ?? ecsNameOf(field),
    );
    const problems = [
      ...mapped.problems,
      ...("problems" in checked ? checked.problems.filter((problem) => problem.field !== "event.outcome") : []),
    ];
    if (problems.length > 0) return { error: mappingError(reasonOf(problems)) };
    return { inputs: [(checked as { input: LogInput }).input] };
  }

  const receivedAt =
    mapped.shipperTime !== undefined && !Number.isNaN(Date.parse(mapped.shipperTime))
      ? new Date(mapped.shipperTime)
      : new Date();
  const parsed = parseLine(mapped.line, {
    receivedAt,
    ...(mapped.timeZone !== undefined && { timeZone: mapped.timeZone }),
  });
  if ("skipped" in parsed)
    return { skipped: parsed.skipped, ...(mapped.shipperSource !== undefined && { source: mapped.shipperSource }) };
  const inputs: LogInput[] = [];
  for (const event of parsed.events) {
    // The line's own time and host win over what the shipper says of it.
    const { log_id: _lineId, ...fromLine } = event;
    const metadata = mergeMetadata(fromLine.metadata, mapped.metadata);
    const candidate = {
      ...(mapped.shipperSource !== undefined && { source: mapped.shipperSource }),
      ...fromLine,
      ...(metadata && { metadata }),
    };
    const checked = checkInput(candidate, (field) => (field === "log_id" ? "_id" : `${field} (read from message)`));
    if ("problems" in checked) return { error: mappingError(reasonOf(checked.problems)) };
    inputs.push(checked.input);
  }
  return { inputs };
}

/** A candidate log checked as POST /api/logs checks one; problems name the field as the sender knows it. */
function checkInput(
  candidate: Record<string, unknown>,
  nameOf: (field: string) => string,
): { input: LogInput } | { problems: FieldProblem[] } {
  const result = LogInput.safeParse(candidate);
  const problems = result.success
    ? [claimProblem(result.data)].filter((problem) => problem !== undefined)
    : describeIssues(result.error.issues);
  if (result.success && problems.length === 0) return { input: result.data };
  return { problems: problems.map((problem) => ({ ...problem, field: renamed(problem.field, nameOf) })) };
}

function renamed(field: string, nameOf: (field: string) => string): string {
  const [head, ...rest] = field.split(".");
  return [nameOf(head!), ...rest].join(".");
}

function ecsNameOf(field: string): string {
  return (ECS_FIELDS as Record<string, readonly string[]>)[field]?.[0] ?? FIELD_NAMES[field] ?? field;
}

/** The key's bindings per log: an item with any log the key may not send is refused whole (403 for a source, else 400). */
async function applyBindings(
  db: Db,
  principal: Principal,
  storable: Storable[],
  answers: ItemAnswer[],
  budget?: DatabaseBudget,
): Promise<Storable[]> {
  const owners = storable.flatMap((entry, position) => entry.inputs.map(() => position));
  // The _id is checked against the prefixes other keys hold; the ids made from content are not ones a key picks.
  const named = storable.flatMap((entry) =>
    entry.inputs.map((input) => (entry.id === undefined ? input : { ...input, log_id: entry.id })),
  );
  const { inputs, problems } = await keyBindingsPerItem(db, principal, named, budget);
  let next = 0;
  for (const entry of storable) entry.inputs = entry.inputs.map(() => inputs[next++]!);
  const refused = new Set<number>();
  for (const problem of problems) {
    const entry = storable[owners[problem.index]!]!;
    if (refused.has(entry.item)) continue;
    refused.add(entry.item);
    const type = problem.status === 403 ? "security_exception" : "illegal_argument_exception";
    const field = problem.field === "log_id" ? "_id" : ecsNameOf(problem.field);
    answers[entry.item] = {
      ...answers[entry.item]!,
      status: problem.status,
      result: undefined,
      error: { type, reason: `${field} ${problem.message}` },
    };
  }
  return storable.filter((entry) => !refused.has(entry.item));
}

/** Stores every log with a verdict of its own; an item takes the worst verdict of its logs. */
async function storeEach(
  db: Db,
  principal: Principal,
  storable: Storable[],
  answers: ItemAnswer[],
  budget?: DatabaseBudget,
): Promise<void> {
  const inputs: IdentifiedInput[] = storable.flatMap((entry) =>
    entry.inputs.map((input, index) => ({ ...input, log_id: entry.ids[index]! })),
  );
  const owners = storable.flatMap((entry) => entry.inputs.map(() => entry.item));
  if (inputs.length === 0) return;
  const verdicts = await ingestEach(db, inputs, ingestOptionsFor(principal, budget));
  const byItem = new Map<number, LogVerdict[]>();
  verdicts.forEach((verdict, index) => byItem.set(owners[index]!, [...(byItem.get(owners[index]!) ?? []), verdict]));
  for (const [item, itemVerdicts] of byItem) {
    const answer = answers[item]!;
    const failed = itemVerdicts.find(
      (verdict) => verdict.kind === "repeated" || verdict.kind === "conflict" || verdict.kind === "refused",
    );
    if (failed) answers[item] = { ...answer, result: undefined, ...failureOf(failed, owners, answers) };
    else if (itemVerdicts.every((verdict) => verdict.kind === "already_stored"))
      answers[item] = { ...answer, status: 200, result: "noop" };
  }
}

function failureOf(verdict: LogVerdict, owners: number[], answers: ItemAnswer[]): Pick<ItemAnswer, "status" | "error"> {
  if (verdict.kind === "repeated") {
    const first = owners[verdict.firstIndex]!;
    return {
      status: 409,
      error: {
        type: "version_conflict_engine_exception",
        reason: `[${answers[first]!._id}]: also sent by item ${first} of this request with different content`,
      },
    };
  }
  if (verdict.kind === "conflict")
    return { status: 409, error: { type: "version_conflict_engine_exception", reason: verdict.problem.message } };
  if (verdict.kind === "refused")
    return {
      status: 400,
      error: mappingError(reasonOf([{ ...verdict.problem, field: ecsNameOf(verdict.problem.field) }])),
    };
  throw new Error(`not a failure: ${verdict.kind}`);
}

function mappingError(reason: string): ItemError {
  return { type: "mapper_parsing_exception", reason };
}

function reasonOf(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field} ${problem.message}`).join("; ");
}

function withoutUndefined(answer: ItemAnswer): ItemAnswer {
  return Object.fromEntries(Object.entries(answer).filter(([, value]) => value !== undefined)) as ItemAnswer;
}
