"use client";

import type { Route } from "next";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { Bar } from "react-chartjs-2";
import { FAILED_COLOUR, hatched, NEUTRAL_COLOUR } from "./chart-setup";

/** Horizontal bars, largest first; clicking a row opens its link (the filtered log explorer). */
export function TopValuesChart({
  labels,
  values,
  hrefs,
  tone,
  seriesLabel,
  label,
}: {
  labels: string[];
  values: number[];
  hrefs: Route[];
  tone: "failed" | "neutral";
  seriesLabel: string;
  label: string;
}) {
  const router = useRouter();
  const fill = useMemo(() => (tone === "failed" ? hatched(FAILED_COLOUR) : NEUTRAL_COLOUR), [tone]);
  return (
    <div className="relative h-72">
      <Bar
        role="img"
        aria-label={label}
        data={{
          labels,
          datasets: [
            {
              label: seriesLabel,
              data: values,
              backgroundColor: fill,
              borderColor: tone === "failed" ? FAILED_COLOUR : NEUTRAL_COLOUR,
              borderWidth: 1,
            },
          ],
        }}
        options={{
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          // A click anywhere on a row counts, not only on its (maybe short) bar.
          interaction: { mode: "index", axis: "y", intersect: false },
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { ticks: { autoSkip: false } } },
          onClick: (_event, elements) => {
            const href = elements[0] && hrefs[elements[0].index];
            if (href) router.push(href);
          },
          onHover: (event, elements) => {
            const canvas = event.native?.target;
            if (canvas instanceof HTMLCanvasElement) canvas.style.cursor = elements.length > 0 ? "pointer" : "default";
          },
        }}
      />
    </div>
  );
}
