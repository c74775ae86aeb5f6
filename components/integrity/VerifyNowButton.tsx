"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/settings/api-client";
import { primaryButton } from "@/components/ui/buttons";

export function VerifyNowButton() {
  const router = useRouter();
  const [isRunning, setRunning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function verify() {
    setRunning(true);
    setProblem(null);
    const result = await callApi("POST", "/api/integrity/verify", {});
    setRunning(false);
    if (!result.ok) return setProblem(result.message);
    router.refresh();
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={verify} disabled={isRunning} className={primaryButton}>
        {isRunning ? "Verifying…" : "Verify now"}
      </button>
      {problem && <p role="alert" className="text-sm text-red-800">{problem}</p>}
    </div>
  );
}
