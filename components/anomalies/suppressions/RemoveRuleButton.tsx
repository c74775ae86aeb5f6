"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/settings/api-client";
import { dangerButton } from "@/components/ui/buttons";

/** Removes a suppression rule; the alerts it muted stay suppressed. */
export function RemoveRuleButton({ id, description }: { id: string; description: string }) {
  const router = useRouter();
  const [isBusy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    const result = await callApi("DELETE", `/api/suppressions/${encodeURIComponent(id)}`);
    setBusy(false);
    if (!result.ok) return setProblem(result.message);
    router.refresh();
  }

  return (
    <>
      <button type="button" disabled={isBusy} onClick={remove} className={dangerButton} aria-label={`Remove the rule muting ${description}`}>
        Remove
      </button>
      {problem && <p role="alert" className="mt-1 text-xs text-red-800">{problem}</p>}
    </>
  );
}
