"use client";

import { useState } from "react";
import { useApiRequest } from "@/components/forms/use-api-request";
import { useBulkOutcome } from "./BulkOutcome";
import { secondaryButton } from "@/components/ui/buttons";
import { ALERT_ACTION_LABELS, type ChosenStatus } from "@/lib/derived/alerts/transitions";
import { NoteInput } from "./NoteInput";

/** The list's filters as POST /api/alerts/status takes them. */
export type BulkFilter = {
  status: string;
  min_severity?: string;
  type?: string[];
  subject?: string;
  from?: string;
  to?: string;
};

/** Whom a bulk change names: the rows checked, or every alert the filter matches. */
export type BulkTarget = { ids: string[] } | { filter: BulkFilter; total: number };

type Outcome = { changed: string[]; refused: { id: string; message: string }[] };

const BULK_CHANGES: ChosenStatus[] = ["acknowledged", "resolved"];

/**
 * One note and one request for every alert selected; then what changed and what was refused (shown by
 * BulkOutcomeMessage), and the page reloads.
 */
export function BulkActions({ target, onDone }: { target: BulkTarget; onDone: () => void }) {
  const [note, setNote] = useState("");
  const { isBusy, send } = useApiRequest();
  const { report } = useBulkOutcome();
  const count = "ids" in target ? target.ids.length : target.total;

  async function change(status: ChosenStatus) {
    report(null);
    const body = {
      ...("ids" in target ? { ids: target.ids } : { filter: target.filter }),
      status,
      ...(note.trim() && { note: note.trim() }),
    };
    const result = await send("POST", "/api/alerts/status", body);
    if (!result.ok) return report({ text: result.message, isProblem: true });
    const { changed, refused } = result.data as Outcome;
    const refusedText =
      refused.length > 0
        ? ` ${refused.length} left as they were: ${[...new Set(refused.map((item) => item.message))].join(" ")}`
        : "";
    report({
      text: `${changed.length} alert${changed.length === 1 ? "" : "s"} ${status}.${refusedText}`,
      isProblem: refused.length > 0,
    });
    setNote("");
    onDone();
  }

  return (
    <div
      role="group"
      aria-label="Change the selected alerts"
      className="flex flex-wrap items-center gap-2 rounded-md bg-slate-100 px-3 py-2 text-sm"
    >
      <span className="font-medium" data-testid="bulk-count">
        {count} selected
      </span>
      <NoteInput value={note} onChange={setNote} disabled={isBusy} label="Note for the change of the selected alerts" />
      {BULK_CHANGES.map((status) => (
        <button
          key={status}
          type="button"
          disabled={isBusy || count === 0}
          onClick={() => change(status)}
          className={secondaryButton}
        >
          {ALERT_ACTION_LABELS[status]} {count === 1 ? "1 alert" : `${count} alerts`}
        </button>
      ))}
    </div>
  );
}
