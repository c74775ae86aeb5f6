import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { getDb } from "@/lib/platform/db/client";

/** The number of open alerts beside "Anomalies" in the navigation; nothing when there are none or the count cannot be read. */
export async function OpenAlertsBadge() {
  let count: number;
  try {
    ({ count } = await openAlertCount(await getDb()));
  } catch {
    // The navigation must render whatever the database does; the page itself reports an outage.
    return null;
  }
  if (count === 0) return null;
  const text = `${count} open alert${count === 1 ? "" : "s"}`;
  return (
    <span
      data-testid="open-alerts-badge"
      title={text}
      className="ml-1.5 inline-flex min-w-5 justify-center rounded-full bg-red-600 px-1.5 text-xs font-semibold leading-5 text-white"
    >
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="sr-only"> {text}</span>
    </span>
  );
}
