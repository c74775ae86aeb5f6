import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { junitFailures } from "./schemathesis";

// The shape schemathesis 4.32 writes: one testcase per operation, a failure listing each check's title.
const REPORT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites errors="1" failures="1" skipped="0" tests="3" time="1.5">
  <testsuite name="schemathesis" errors="1" failures="1" skipped="0" tests="3" time="1.5">
    <testcase name="GET /api/health" time="0.1" />
    <testcase name="POST /v1/logs" time="1.2">
      <failure type="failure" message="ST201, ST204">1. Test Case ID: abc

- ST201 Schema-violating request accepted

    Invalid data should have been rejected

2. Test Case ID: def

- ST204 Wrong response to undeclared method

- ST201 Schema-violating request accepted

[400] Bad Request: &lt;EMPTY&gt;</failure>
    </testcase>
    <testcase name="GET /api/logs" time="0.2">
      <error type="error">
Connection refused &amp; gone</error>
      <skipped type="skipped">not reached</skipped>
    </testcase>
  </testsuite>
</testsuites>`;

describe("junitFailures", () => {
  it("names each failing operation once per check, and each error by its first line", () => {
    assert.deepEqual(junitFailures(REPORT), {
      tested: 3,
      failures: [
        "POST /v1/logs: ST201 Schema-violating request accepted",
        "POST /v1/logs: ST204 Wrong response to undeclared method",
        "GET /api/logs: error: Connection refused & gone",
      ],
    });
  });
});
