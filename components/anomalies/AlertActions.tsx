"use client";

import { useState } from "react";
import { useApiRequest } from "@/components/forms/use-api-request";
import { secondaryButton } from "@/components/ui/buttons";
import type { AlertStatus } from "@/lib/derived/alerts/alert-record";
import { ALERT_ACTION_LABELS, ALERT_TRANSITIONS } from "@/lib/derived/alerts/transitions";
import { NoteInput } from "./NoteInput";

/** The status changes this alert allows, as buttons with an optional note; the page (and the navigation's count) reloads after each. */
export function AlertActions({ id, status, subject }: { id: string; status: AlertStatus; subject: string }) {
  const { isBusy, problem, send } = useApiRequest();
  const [note, setNote] = useState("");

  async function change(next: AlertStatus) {
    const body = { status: next, ...(note.trim() && { note: note.trim() }) };
    if ((await send("POST", `/api/alerts/${encodeURIComponent(id)}/status`, body)).ok) setNote("");
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <NoteInput
        value={note}
        onChange={setNote}
        disabled={isBusy}
        label={`Note for the next change to the alert on ${subject}`}
      />
      {ALERT_TRANSITIONS[status].map((next) => (
        <button
          key={next}
          type="button"
          disabled={isBusy}
          onClick={() => change(next)}
          className={secondaryButton}
          aria-label={`${ALERT_ACTION_LABELS[next]} the alert on ${subject}`}
        >
          {ALERT_ACTION_LABELS[next]}
        </button>
      ))}
      {problem && (
        <p role="alert" className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
