/**
 * Reads an NDJSON answer line by line, handing each parsed line to `onLine`
 * until it returns true. Returns true then, false when the answer ended
 * first, or the message of an error answer or a broken connection.
 */
export async function readNdjson<Line>(
  url: string,
  signal: AbortSignal,
  onLine: (line: Line) => boolean,
): Promise<boolean | string> {
  try {
    const response = await fetch(url, { signal, headers: { accept: "application/x-ndjson" } });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      return body?.error?.message ?? `The server answered ${response.status}; try again.`;
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      buffered += value;
      let end: number;
      while ((end = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, end).trim();
        buffered = buffered.slice(end + 1);
        if (line !== "" && onLine(JSON.parse(line) as Line)) {
          await reader.cancel();
          return true;
        }
      }
    }
  } catch {
    return signal.aborted
      ? false
      : "Ledgerline could not be reached, or the answer broke off. Check your connection and try again.";
  }
}
