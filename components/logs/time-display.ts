// Whether times show in the viewer's own time zone or in UTC: one choice per
// browser, kept in localStorage and shared by every time on the page.
"use client";

import { useSyncExternalStore } from "react";

export type TimeDisplay = "local" | "utc";

const STORAGE_KEY = "ledgerline.time-display";
const listeners = new Set<() => void>();

function read(): TimeDisplay {
  return localStorage.getItem(STORAGE_KEY) === "utc" ? "utc" : "local";
}

export function setTimeDisplay(display: TimeDisplay): void {
  localStorage.setItem(STORAGE_KEY, display);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** null during server rendering and hydration: the server cannot know the viewer's zone. */
export function useTimeDisplay(): TimeDisplay | null {
  return useSyncExternalStore(subscribe, read, () => null);
}
