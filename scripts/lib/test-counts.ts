// Reads how many test cases passed and failed from the runners' report files.

export type TestCounts = { passed: number; failed: number };

/** Node's test runner, TAP reporter: the closing "# pass N" / "# fail N" lines. */
export function parseTapCounts(tap: string): TestCounts {
  const count = (label: string) => Number(tap.match(new RegExp(`^# ${label} (\\d+)$`, "m"))?.[1] ?? 0);
  return { passed: count("pass"), failed: count("fail") + count("cancelled") };
}

/** Playwright's JSON reporter; a flaky test passed on retry and counts as passed. */
export function parsePlaywrightCounts(json: string): TestCounts {
  const { stats } = JSON.parse(json) as { stats: { expected: number; unexpected: number; flaky: number } };
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
}
