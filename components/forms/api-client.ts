// Calls our own JSON API from the browser and turns its error envelope into a message.
// A FormData body goes as multipart (the browser sets its boundary).
export type ApiResult = { ok: true; data: unknown } | { ok: false; message: string };

export async function callApi(method: string, url: string, body?: unknown): Promise<ApiResult> {
  try {
    const isForm = body instanceof FormData;
    const response = await fetch(url, {
      method,
      headers: body === undefined || isForm ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return { ok: true, data };
    const error = (data as { error?: { message?: string; details?: { field: string; message: string }[] } } | null)
      ?.error;
    const details = error?.details?.map((d) => `${d.field} ${d.message}`).join("; ");
    return {
      ok: false,
      message: [error?.message ?? `Request failed (${response.status}).`, details].filter(Boolean).join(" "),
    };
  } catch {
    return { ok: false, message: "Ledgerline could not be reached. Check your connection and try again." };
  }
}
