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

/** `go test -json`: one "pass" or "fail" event per test (package events carry no Test name). */
export function parseGoTestCounts(json: string): TestCounts {
  const counts = { passed: 0, failed: 0 };
  for (const line of json.split("\n")) {
    if (!line.startsWith("{")) continue;
    const event = JSON.parse(line) as { Action?: string; Test?: string };
    if (!event.Test) continue;
    if (event.Action === "pass") counts.passed++;
    else if (event.Action === "fail") counts.failed++;
  }
  return counts;
}

/** What `go test -v` would have printed, from its `-json` events. */
export function goTestOutput(json: string): string {
  return json
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => (JSON.parse(line) as { Output?: string }).Output ?? "")
    .join("");
}
