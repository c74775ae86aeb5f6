import type { FindingType } from "@/lib/records/anomaly";

/** Findings listed per type at the most; the rest are counted. */
export const SHOWN_PER_TYPE = 50;

/** Of findings in time order, the newest `limit` of each type, newest first. */
export function newestPerType<T extends { type: FindingType }>(findings: readonly T[], limit = SHOWN_PER_TYPE): T[] {
  const shown: T[] = [];
  const perType = new Map<FindingType, number>();
  for (const finding of [...findings].reverse()) {
    const seen = perType.get(finding.type) ?? 0;
    perType.set(finding.type, seen + 1);
    if (seen < limit) shown.push(finding);
  }
  return shown;
}
