"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const REFRESH_MS = 5_000;

/**
 * Re-renders the page's server data every few seconds while on; React keeps
 * the scroll position, the filters (in the URL) and this toggle as they are.
 */
export function LiveToggle({ available }: { available: boolean }) {
  const router = useRouter();
  const [live, setLive] = useState(false);
  const on = live && available;
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [on, router]);
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700" title={available ? "Show new matching logs as they arrive" : "Live updates show on the first page"}>
      <input type="checkbox" checked={on} disabled={!available} onChange={(event) => setLive(event.target.checked)} />
      Live{on && <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-emerald-600" aria-label="updating every 5 seconds" />}
    </label>
  );
}
