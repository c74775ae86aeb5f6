import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALERT_STATUSES } from "./alert-record";
import { isAllowedTransition } from "./transitions";

describe("alert status transitions", () => {
  it("allows open → acknowledged → resolved, open → resolved, reopening, and reopening or resolving a suppressed alert, nothing else", () => {
    const allowed = ALERT_STATUSES.flatMap((from) =>
      ALERT_STATUSES.filter((to) => isAllowedTransition(from, to)).map((to) => `${from}→${to}`),
    );
    assert.deepEqual(allowed.sort(), [
      "acknowledged→resolved",
      "open→acknowledged",
      "open→resolved",
      "resolved→open",
      "suppressed→open",
      "suppressed→resolved",
    ]);
  });

  it("lets nobody make an alert suppressed", () => {
    for (const from of ALERT_STATUSES) assert.equal(isAllowedTransition(from, "suppressed"), false, from);
  });
});
