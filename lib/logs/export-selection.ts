// Which logs an export selects: the filter as query text (kept in the export's
// header so an offline verifier can apply it again) and as a predicate.
import { z } from "zod";

/** What a filter can see of a log; an omitted export line has no message. */
export type FilterableLog = { time: Date; ip: string; user: string; action: string; status: string; source?: string; message?: string };

export type ExportSelection = {
  /** URL query text that reproduces the filter; empty for every log. */
  query: string;
  /** The earliest event time the filter accepts, if it has one. */
  from?: Date;
  matches(log: FilterableLog): boolean;
};

const IsoInstant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const TimeRange = z
  .strictObject({ from: IsoInstant.optional(), to: IsoInstant.optional() })
  .refine(({ from, to }) => !from || !to || from.getTime() <= to.getTime(), { message: "must not be after to", path: ["from"] });

export class SelectionError extends Error {
  override name = "SelectionError";
}

/** Parses `from=…&to=…` (ISO 8601 with offset); throws SelectionError naming the field. */
export function parseExportSelection(query: string): ExportSelection {
  const params = new URLSearchParams(query);
  const parsed = TimeRange.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".");
    throw new SelectionError(`${field}: ${issue.code === "unrecognized_keys" ? "is not a known filter" : issue.message}`);
  }
  const { from, to } = parsed.data;
  const canonical = new URLSearchParams();
  if (from) canonical.set("from", from.toISOString());
  if (to) canonical.set("to", to.toISOString());
  return {
    query: canonical.toString(),
    from,
    matches: ({ time }) => (!from || time.getTime() >= from.getTime()) && (!to || time.getTime() <= to.getTime()),
  };
}
