// Chart.js with only the pieces the dashboard draws (bars and a doughnut),
// and its colours: Okabe–Ito blue for success and vermillion, hatched, for
// failed, which stay apart for every kind of colour blindness and in grey.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, DoughnutController, ArcElement, LinearScale, Legend, Tooltip);
Chart.defaults.font.family = "ui-sans-serif, system-ui, sans-serif";
Chart.defaults.color = "#334155";

export const SUCCESS_COLOUR = "#0072B2";
export const FAILED_COLOUR = "#D55E00";
export const NEUTRAL_COLOUR = "#475569";
export const SEVERITY_COLOURS = { low: "#56B4E9", medium: "#E69F00", high: "#D55E00", critical: "#882255" } as const;

/** Diagonal white stripes over `colour`, so failed differs from success by pattern as well. */
export function hatched(colour: string): string | CanvasPattern {
  if (typeof document === "undefined") return colour;
  const tile = document.createElement("canvas");
  tile.width = tile.height = 8;
  const context = tile.getContext("2d");
  if (!context) return colour;
  context.fillStyle = colour;
  context.fillRect(0, 0, 8, 8);
  context.strokeStyle = "rgba(255, 255, 255, 0.55)";
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(-2, 2);
  context.lineTo(2, -2);
  context.moveTo(0, 8);
  context.lineTo(8, 0);
  context.moveTo(6, 10);
  context.lineTo(10, 6);
  context.stroke();
  return context.createPattern(tile, "repeat") ?? colour;
}

export { Chart };
