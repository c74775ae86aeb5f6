"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { type ApiResult, callApi } from "./api-client";

type SendOptions = {
  /** Keep the response's data as `result`. */
  keep?: boolean;
  /** Reload the page's server data after a success. */
  refresh?: boolean;
};

/**
 * One form's requests to our API, one at a time: `isBusy` while a request runs, `problem` the API's message after a
 * failure (cleared by a success), `result` the data of the last success sent with `keep`.
 */
export function useApiRequest<Result = unknown>() {
  const router = useRouter();
  const [isBusy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  async function send(
    method: string,
    url: string,
    body?: unknown,
    { keep = false, refresh = true }: SendOptions = {},
  ): Promise<ApiResult> {
    setBusy(true);
    const outcome = await callApi(method, url, body);
    setBusy(false);
    setProblem(outcome.ok ? null : outcome.message);
    if (outcome.ok && keep) setResult(outcome.data as Result);
    if (outcome.ok && refresh) router.refresh();
    return outcome;
  }

  function reset() {
    setProblem(null);
    setResult(null);
  }

  return { isBusy, problem, result, setResult, reset, send };
}
