// schemathesis against a production instance: every operation of
// GET /api/openapi.json but those that revoke keys, disable users or sign out,
// with an API key (ingest, read) and an analyst's session, rate limits raised.
// No 5xx, every answer as documented (status, content type, schema, headers),
// documented refusals of bad input and missing auth, and the instance still
// healthy at the end. Settings and why some checks are off: schemathesis.toml.
// More examples than CI's: LEDGERLINE_SCHEMATHESIS_EXAMPLES=200 npm test -- --only reliability --match schemathesis
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startAppStack, type AppStack } from "@/scripts/lib/app-stack";
import { runCommand } from "@/scripts/lib/processes";
import { ensureSchemathesis, junitFailures } from "@/scripts/lib/schemathesis";

const HERE = path.resolve("tests", "reliability");
const RAISED_LIMITS = {
  INGEST_RATE_LIMIT_PER_MINUTE: "1000000",
  LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE: "1000000",
  LOGIN_MAX_FAILURES: "1000",
  LOGIN_WINDOW_MINUTES: "0.05",
};

let stack: AppStack;
let schemathesis: string;
let reportDir: string;

before(async () => {
  schemathesis = ensureSchemathesis();
  reportDir = mkdtempSync(path.join(tmpdir(), "ledgerline-schemathesis-"));
  stack = await startAppStack({ instances: 1, env: RAISED_LIMITS });
});

after(async () => {
  await stack?.stop();
  if (reportDir) rmSync(reportDir, { recursive: true, force: true });
});

/** The analyst's session cookie value, signed in as the sign-in page does. */
async function signInAnalyst(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify(await stack.createUser("analyst")),
  });
  assert.equal(response.status, 200, await response.text());
  const cookie = /^[^=]+=([^;]+)/.exec(response.headers.get("set-cookie") ?? "");
  assert.ok(cookie, "sign-in set no cookie");
  return cookie[1]!;
}

describe("schemathesis against GET /api/openapi.json", () => {
  it("finds no server error and no answer the document does not describe", async () => {
    const app = stack.apps[0]!;
    const junit = path.join(reportDir, "junit.xml");
    const examples = process.env.LEDGERLINE_SCHEMATHESIS_EXAMPLES;
    const code = await runCommand(
      schemathesis,
      [
        "--config-file",
        path.join(HERE, "schemathesis.toml"),
        "run",
        `${app.url}/api/openapi.json`,
        ...(examples ? ["--max-examples", examples] : []),
        "--report",
        "junit",
        "--report-junit-path",
        junit,
      ],
      {
        cwd: reportDir,
        env: {
          ...process.env,
          PYTHONPATH: HERE,
          LEDGERLINE_URL: app.url,
          LEDGERLINE_API_KEY: await stack.createApiKey(["ingest", "read"]),
          LEDGERLINE_SESSION: await signInAnalyst(app.url),
        },
      },
    );
    // The instance that served the run is the one that started, still answering.
    assert.doesNotThrow(() => process.kill(app.pid, 0), "the app instance has exited");
    const health = await fetch(`${app.url}/api/health`);
    assert.equal(health.status, 200, await health.text());

    assert.ok(existsSync(junit), `schemathesis wrote no report (exit ${code}); its output above says why`);
    const { tested, failures } = junitFailures(readFileSync(junit, "utf8"));
    assert.deepEqual(failures, [], "schemathesis failures (its output above shows how to reproduce each)");
    assert.ok(tested >= 30, `only ${tested} operations tested`);
    assert.equal(code, 0, "schemathesis exited with an error (its output above says why)");
  });
});
