"use client";

import { useRouter } from "next/navigation";
import { useSyncExternalStore } from "react";
import { LiveToggle } from "@/components/logs/LiveToggle";
import { RANGE_PRESETS } from "@/components/logs/range-presets";
import { textInput } from "@/components/ui/buttons";

const noSubscription = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The range and time zone, kept in the URL; the whole dashboard follows them. */
export function DashboardControls({ range, tz }: { range: string | undefined; tz: string }) {
  const router = useRouter();
  const ownZone = useSyncExternalStore(noSubscription, browserTimeZone, () => null);
  const zones = [...new Set(["UTC", ...(ownZone ? [ownZone] : []), tz])];
  const go = (changes: { range?: string; tz?: string }) => {
    const params = new URLSearchParams({ range: changes.range ?? range ?? "24h" });
    const zone = changes.tz ?? tz;
    if (zone !== "UTC") params.set("tz", zone);
    router.push(`/dashboard?${params}`);
  };
  return (
    <div className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-col gap-1">
        <label htmlFor="dashboard-range" className="text-xs font-medium text-slate-700">
          Time range
        </label>
        <select
          id="dashboard-range"
          className={textInput}
          value={range ?? "custom"}
          onChange={(event) => go({ range: event.target.value })}
        >
          {RANGE_PRESETS.map((preset) => (
            <option key={preset.value} value={preset.value}>
              {preset.label}
            </option>
          ))}
          {!range && (
            <option value="custom" disabled>
              Custom range (from the link)
            </option>
          )}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="dashboard-tz" className="text-xs font-medium text-slate-700">
          Time zone (days and hours)
        </label>
        <select id="dashboard-tz" className={textInput} value={tz} onChange={(event) => go({ tz: event.target.value })}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone === ownZone && zone !== "UTC" ? `${zone} (yours)` : zone}
            </option>
          ))}
        </select>
      </div>
      <div className="pb-2">
        <LiveToggle
          available
          intervalMs={10_000}
          label="Auto-refresh"
          title="Refresh every 10 seconds, for a wall screen"
        />
      </div>
    </div>
  );
}
