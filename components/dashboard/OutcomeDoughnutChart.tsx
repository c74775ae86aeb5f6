"use client";

import { useMemo } from "react";
import { Doughnut } from "react-chartjs-2";
import { FAILED_COLOUR, hatched, SUCCESS_COLOUR } from "./chart-setup";

export function OutcomeDoughnutChart({ success, failed, label }: { success: number; failed: number; label: string }) {
  const failedFill = useMemo(() => hatched(FAILED_COLOUR), []);
  return (
    <div className="relative mx-auto h-52 w-full max-w-xs">
      <Doughnut
        role="img"
        aria-label={label}
        data={{
          labels: ["Success", "Failed"],
          datasets: [
            {
              data: [success, failed],
              backgroundColor: [SUCCESS_COLOUR, failedFill],
              borderColor: "#ffffff",
              borderWidth: 2,
            },
          ],
        }}
        options={{
          maintainAspectRatio: false,
          animation: false,
          cutout: "60%",
          plugins: { legend: { position: "bottom" } },
        }}
      />
    </div>
  );
}
