// The short soak: npm run soak as an operator runs it, 2 instances, every
// fault on its schedule, checkpoints every 2 s with a 5 s void window.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import type { SoakReport } from "@/scripts/soak/run";

const SECONDS = 35;

function runSoakCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["tsx", "scripts/soak.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      process.stderr.write(chunk);
    });
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run soak", () => {
  it("stores every acknowledged log exactly once through database freezes and kills, an instance killed mid-request and hostile clients, and the checks agree", async () => {
    const { code, stdout } = await runSoakCli(["--seconds", String(SECONDS), "--instances", "2", "--json"]);
    const report = JSON.parse(stdout.trim().split("\n").at(-1)!) as SoakReport;
    assert.deepEqual(report.failures, []);
    assert.equal(code, 0);

    assert.ok(report.logs_acknowledged > 1_000, `only ${report.logs_acknowledged} logs acknowledged`);
    assert.equal(report.logs_stored, report.logs_acknowledged);
    assert.deepEqual(
      [report.exactly_once.missing, report.exactly_once.unacknowledged, report.exactly_once.cutOffStored],
      [[], [], []],
    );
    assert.equal(report.hung_requests, 0);
    assert.deepEqual(report.unexpected, []);
    // The database's outages were seen, and answered as documented.
    assert.ok(
      Object.keys(report.statuses).some((status) => status.startsWith("503")),
      JSON.stringify(report.statuses),
    );

    assert.deepEqual(report.faults.map((fault) => fault.name).sort(), [
      "freeze_db",
      "hang_up",
      "hang_up",
      "hang_up",
      "hang_up",
      "hang_up",
      "kill_app",
      "kill_db",
    ]);
    assert.ok(
      report.faults.every((fault) => !fault.detail.startsWith("failed")),
      JSON.stringify(report.faults),
    );
    assert.match(report.faults.find((fault) => fault.name === "kill_app")!.detail, /killed with [1-9]\d* request/);
    assert.ok(report.slow_client && report.slow_client.bytesSent > 10, JSON.stringify(report.slow_client));

    assert.deepEqual(report.verify, {
      ok: true,
      checked: report.verify.checked,
      valid: report.verify.checked,
      pending: 0,
      problems: 0,
    });
    assert.ok(report.verify.checked >= report.logs_stored);
    assert.deepEqual(report.derived, { rollups: [], baselines: [], search: [] });
    assert.ok(report.detection.stored > 0, "the generated attacks raised alerts");
    assert.equal(report.detection.rerun, report.detection.stored);
  });
});
