import { EmptyState } from "@/components/ui/EmptyState";
import type { Finding } from "@/lib/records/anomaly";
import { findAnomalies } from "@/lib/derived/alerts/find-anomalies";
import { getConfig } from "@/lib/foundation/config";
import { getDb } from "@/lib/platform/db/client";
import type { FindingsRange } from "@/lib/derived/alerts/page-params";
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";
import { FindingFacts } from "./FindingFacts";
import { FindingGroups } from "./FindingGroups";
import { newestPerType, SHOWN_PER_TYPE } from "./findings/newest-per-type";

/** Every rule (the 14-day baseline ones included) run now over the range's logs: a full read, so the page streams it last. */
export async function FindingList({ range }: { range: FindingsRange }) {
  const to = new Date();
  let findings: Finding[];
  try {
    findings = await findAnomalies(await getDb(), { from: new Date(to.getTime() - range.ms), to }, getConfig().anomaly);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) console.error("ledgerline: findings for the anomalies page failed:", error);
    return (
      <EmptyState title="Findings could not be computed" tone="error">
        <p>
          Reading the logs of this range failed, most often because the database was briefly unreachable. Reload the
          page to try again, or pick a shorter range.
        </p>
      </EmptyState>
    );
  }
  if (findings.length === 0) {
    return (
      <EmptyState title={`Nothing unusual in the ${range.label.toLowerCase()}`}>
        <p>
          No rule found a burst of failures, spraying, a login from an unknown network or unusual access in this range.
        </p>
        <p>Pick a longer range above to look further back.</p>
      </EmptyState>
    );
  }
  const shown = newestPerType(findings);
  const isCut = shown.length < findings.length;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" aria-live="polite">
        {findings.length} {findings.length === 1 ? "finding" : "findings"} in the {range.label.toLowerCase()}.
        {isCut && ` The newest ${SHOWN_PER_TYPE} of each type are listed; GET /api/anomalies returns them all.`}
      </p>
      <FindingGroups
        items={shown}
        idPrefix="findings"
        render={(finding) => ({
          key: `${finding.type}|${finding.ip ?? ""}|${finding.user ?? ""}|${finding.start.toISOString()}`,
          content: (
            <FindingFacts
              finding={{ ...finding, start: finding.start.toISOString(), end: finding.end.toISOString() }}
            />
          ),
        })}
      />
    </div>
  );
}
