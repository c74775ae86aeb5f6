"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Re-renders the page's server data every few seconds while on; React keeps
 * the scroll position, the filters (in the URL) and this toggle as they are.
 */
export function LiveToggle({
  available,
  intervalMs = 5_000,
  label = "Live",
  title = "Show new matching logs as they arrive",
}: {
  available: boolean;
  intervalMs?: number;
  label?: string;
  title?: string;
}) {
  const router = useRouter();
  const [live, setLive] = useState(false);
  const on = live && available;
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [on, router, intervalMs]);
  return (
    <label
      className="flex items-center gap-2 text-sm text-slate-700"
      title={available ? title : "Live updates show on the first page"}
    >
      <input type="checkbox" checked={on} disabled={!available} onChange={(event) => setLive(event.target.checked)} />
      {label}
      {on && (
        <span
          className="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-600"
          aria-label={`updating every ${intervalMs / 1000} seconds`}
        />
      )}
    </label>
  );
}
