// Written out by hand rather than through filterToSearchParams, so that client
// components can link to the explorer too: the filters module reads the
// server's libraries. logs-link.test.ts holds it to what parseLogFilter reads back.

/** The log explorer showing a finding's or an alert's logs: its subject (ip, user or both; or a source) over its window, ends included. */
export function logsLinkOf({
  ip,
  user,
  source,
  start,
  end,
}: {
  ip?: string;
  user?: string;
  source?: string;
  start: Date;
  end: Date;
}) {
  const query: Record<string, string> = {
    from: start.toISOString(),
    to: end.toISOString(),
    ...(ip && { ip }),
    ...(user && { user }),
    ...(source && { source }),
  };
  return { pathname: "/logs" as const, query };
}
