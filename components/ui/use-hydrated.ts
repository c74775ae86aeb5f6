"use client";

import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False while the server renders and the browser hydrates, true once this component's handlers work. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
