// How the explorer names a repeatable filter, in its form and its list of
// active filters alike.
import { readListParameter, type ListField } from "@/lib/records/logs/filter-names";

export const FIELD_LABELS: Record<ListField, string> = {
  status: "Status",
  ip: "IP",
  user: "User",
  action: "Action",
  source: "Source",
  ingested_by: "Ingested by",
};

/** "User is", "User is any of", "Metadata host.name is not", "IP is none of": what precedes the values of `name`. */
export function listFilterLabel(name: string, valueCount: number): string {
  const parameter = readListParameter(name);
  if (!parameter) return name;
  const subject = "field" in parameter ? FIELD_LABELS[parameter.field] : `Metadata ${parameter.metaKey}`;
  const several = valueCount > 1;
  return `${subject} ${parameter.excluded ? (several ? "is none of" : "is not") : several ? "is any of" : "is"}`;
}
