// From the module itself, not the index: client components group findings too, and the index brings in the detector.
import { FINDING_TYPES, SEVERITIES, type FindingType, type Severity } from "@/lib/records/anomaly/finding";

export type TypeGroup<T> = { type: FindingType; items: T[] };

/**
 * Items grouped by finding type, each group keeping the items' order. Groups
 * holding an item of a lower `rank` come first (open alerts before resolved
 * ones), then those with the most severe item, then in the rules' order.
 */
export function groupByType<T extends { type: FindingType; severity: Severity }>(
  items: readonly T[],
  rank: (item: T) => number = () => 0,
): TypeGroup<T>[] {
  const groups = new Map<FindingType, T[]>();
  for (const item of items) groups.set(item.type, [...(groups.get(item.type) ?? []), item]);
  const key = (group: T[]) => [
    Math.min(...group.map(rank)),
    -Math.max(...group.map((item) => SEVERITIES.indexOf(item.severity))),
  ];
  return [...groups]
    .map(([type, grouped]) => ({ type, items: grouped, key: key(grouped) }))
    .sort(
      (a, b) =>
        a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || FINDING_TYPES.indexOf(a.type) - FINDING_TYPES.indexOf(b.type),
    )
    .map(({ type, items: grouped }) => ({ type, items: grouped }));
}
