"use client";

import { useApiRequest } from "@/components/forms/use-api-request";
import { dangerButton } from "@/components/ui/buttons";

/** Removes a suppression rule; the alerts it muted stay suppressed. */
export function RemoveRuleButton({ id, description }: { id: string; description: string }) {
  const { isBusy, problem, send } = useApiRequest();
  const remove = () => send("DELETE", `/api/suppressions/${encodeURIComponent(id)}`);

  return (
    <>
      <button
        type="button"
        disabled={isBusy}
        onClick={remove}
        className={dangerButton}
        aria-label={`Remove the rule muting ${description}`}
      >
        Remove
      </button>
      {problem && (
        <p role="alert" className="mt-1 text-xs text-red-800">
          {problem}
        </p>
      )}
    </>
  );
}
