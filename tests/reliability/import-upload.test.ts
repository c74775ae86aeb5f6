// An import upload larger than 10 MB, within IMPORT_MAX_UPLOAD_BYTES (20 MB),
// reaches POST /api/import whole on the production server. Next.js keeps only
// the first 10 MB of a body the request proxy runs for (proxyClientMaxBodySize),
// so the proxy must not run for API paths: the import would answer 400 "not
// valid multipart".
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startAppStack, type AppStack } from "@/scripts/lib/app-stack";

const UPLOAD_BYTES = 12 * 1024 * 1024;

let stack: AppStack;
let cookie: string;

before(async () => {
  stack = await startAppStack({ instances: 1 });
  const admin = await stack.createUser("admin");
  const url = stack.apps[0]!.url;
  const signIn = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify(admin),
  });
  assert.equal(signIn.status, 200);
  cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
});

after(async () => {
  await stack?.stop();
});

describe("POST /api/import on the production server", () => {
  it("reads a 12 MB upload whole", async () => {
    const lines: string[] = [];
    let size = 0;
    while (size < UPLOAD_BYTES) {
      const line = JSON.stringify({
        log_id: `upload-${lines.length}`,
        timestamp: "2026-01-01T10:00:00Z",
        user: "u",
        action: "login",
        status: "success",
        message: "x".repeat(400),
      });
      lines.push(line);
      size += line.length + 1;
    }
    const form = new FormData();
    form.set("file", new File([`${lines.join("\n")}\n`], "large.ndjson"));
    form.set("dry_run", "true");
    const url = stack.apps[0]!.url;
    const response = await fetch(`${url}/api/import`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: url },
      body: form,
    });
    const report = (await response.json()) as { rows?: number; imported?: number; error?: unknown };
    assert.equal(response.status, 200, JSON.stringify(report));
    assert.deepEqual([report.rows, report.imported], [lines.length, lines.length]);
  });
});
