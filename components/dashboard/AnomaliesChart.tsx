"use client";

import { Bar } from "react-chartjs-2";
import { SEVERITY_COLOURS } from "./chart-setup";

type Severity = keyof typeof SEVERITY_COLOURS;

/** Alerts per finding type, stacked by severity. */
export function AnomaliesChart({
  types,
  counts,
  label,
}: {
  types: string[];
  counts: Record<Severity, number[]>;
  label: string;
}) {
  return (
    <div className="relative h-64">
      <Bar
        role="img"
        aria-label={label}
        data={{
          labels: types,
          datasets: (Object.keys(SEVERITY_COLOURS) as Severity[]).map((severity) => ({
            label: severity,
            data: counts[severity],
            backgroundColor: SEVERITY_COLOURS[severity],
            stack: "severity",
          })),
        }}
        options={{
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "bottom" } },
          scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        }}
      />
    </div>
  );
}
