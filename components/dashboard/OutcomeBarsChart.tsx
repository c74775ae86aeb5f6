"use client";

import { useMemo } from "react";
import { Bar } from "react-chartjs-2";
import { FAILED_COLOUR, hatched, SUCCESS_COLOUR } from "./chart-setup";

/** Success and failed stacked per category (time bucket or hour of day). */
export function OutcomeBarsChart({
  labels,
  success,
  failed,
  label,
  xTitle,
}: {
  labels: string[];
  success: number[];
  failed: number[];
  label: string;
  xTitle: string;
}) {
  const failedFill = useMemo(() => hatched(FAILED_COLOUR), []);
  return (
    <div className="relative h-64">
      <Bar
        role="img"
        aria-label={label}
        data={{
          labels,
          datasets: [
            { label: "Success", data: success, backgroundColor: SUCCESS_COLOUR, stack: "outcome" },
            {
              label: "Failed",
              data: failed,
              backgroundColor: failedFill,
              borderColor: FAILED_COLOUR,
              borderWidth: 1,
              stack: "outcome",
            },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { position: "bottom" } },
          scales: {
            x: { stacked: true, title: { display: true, text: xTitle }, ticks: { maxRotation: 0, autoSkip: true } },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          },
        }}
      />
    </div>
  );
}
