"use client";

import { createContext, useContext, useState, type ReactNode } from "react";

export type BulkOutcome = { text: string; isProblem: boolean };
type OutcomeState = { outcome: BulkOutcome | null; report: (outcome: BulkOutcome | null) => void };

const OutcomeContext = createContext<OutcomeState | null>(null);

/**
 * Holds what the last bulk change did above the alert table: a change that empties the list takes the table (and its
 * bulk bar) off the page when the page refreshes, and the analyst must still read what happened.
 */
export function BulkOutcomeProvider({ children }: { children: ReactNode }) {
  const [outcome, report] = useState<BulkOutcome | null>(null);
  return <OutcomeContext value={{ outcome, report }}>{children}</OutcomeContext>;
}

export function useBulkOutcome(): OutcomeState {
  const state = useContext(OutcomeContext);
  if (!state) throw new Error("useBulkOutcome needs a BulkOutcomeProvider above it");
  return state;
}

export function BulkOutcomeMessage() {
  const { outcome } = useBulkOutcome();
  if (!outcome) return null;
  return (
    <p
      role={outcome.isProblem ? "alert" : "status"}
      className={`rounded-md px-3 py-2 text-sm ${outcome.isProblem ? "bg-red-50 text-red-800" : "bg-slate-100 text-slate-700"}`}
    >
      {outcome.text}
    </p>
  );
}
