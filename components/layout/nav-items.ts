import type { Route } from "next";

export const NAV_ITEMS: { href: Route; label: string }[] = [
  { href: "/logs", label: "Logs" },
  { href: "/dashboard", label: "Dashboard" },
  { href: "/anomalies", label: "Anomalies" },
  { href: "/integrity", label: "Integrity" },
];
