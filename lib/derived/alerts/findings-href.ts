// Without imports, so that the findings page's form (a client component) can write it.

/** The findings page's address for a range (a FINDINGS_RANGES value), running detection or not. */
export function findingsPageHref(range: string, run: boolean): `/anomalies/findings?${string}` {
  return `/anomalies/findings?${new URLSearchParams({ range, ...(run && { run: "1" }) })}`;
}
