import { getDb } from "@/lib/platform/db/client";
import { countLogs } from "@/lib/features/explorer/count-logs";
import type { LogCriteria } from "@/lib/records/logs/filters";

/** Rendered inside Suspense: the first page shows before the count is known. */
export async function MatchCount({ criteria }: { criteria: LogCriteria }) {
  const count = await countLogs(await getDb(), criteria);
  return (
    <span>
      {count.toLocaleString("en-US")} {count === 1 ? "log matches" : "logs match"}
    </span>
  );
}
