import type { FindingType, Severity } from "@/lib/records/anomaly";
import { groupByType } from "./group-by-type";
import { FINDING_TYPE_LABELS } from "./labels";

/** Items in one section per finding type, headed by the type and how many there are. */
export function FindingGroups<T extends { type: FindingType; severity: Severity }>({
  items,
  idPrefix,
  rank,
  render,
}: {
  items: readonly T[];
  idPrefix: string;
  rank?: (item: T) => number;
  render: (item: T) => { key: string; content: React.ReactNode; attributes?: Record<`data-${string}`, string> };
}) {
  return (
    <div className="space-y-6">
      {groupByType(items, rank).map((group) => (
        <section key={group.type} aria-labelledby={`${idPrefix}-${group.type}`} className="space-y-2">
          <h3 id={`${idPrefix}-${group.type}`} className="text-sm font-semibold text-slate-900">
            {FINDING_TYPE_LABELS[group.type]} <span className="font-normal text-slate-500">({group.items.length})</span>
          </h3>
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm">
            {group.items.map((item) => {
              const { key, content, attributes } = render(item);
              return (
                <li key={key} className="p-4" {...attributes}>
                  {content}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
