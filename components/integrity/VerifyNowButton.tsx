"use client";

import { useApiRequest } from "@/components/forms/use-api-request";
import { primaryButton } from "@/components/ui/buttons";

export function VerifyNowButton() {
  const { isBusy: isRunning, problem, reset, send } = useApiRequest();
  async function verify() {
    reset();
    await send("POST", "/api/integrity/verify", {});
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={verify} disabled={isRunning} className={primaryButton}>
        {isRunning ? "Verifying…" : "Verify now"}
      </button>
      {problem && (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      )}
    </div>
  );
}
