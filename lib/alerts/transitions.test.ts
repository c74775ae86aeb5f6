import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ALERT_STATUSES } from "./alerts";
import { isAllowedTransition } from "./transitions";

describe("alert status transitions", () => {
  it("allows open → acknowledged → resolved, open → resolved and reopening, nothing else", () => {
    const allowed = ALERT_STATUSES.flatMap((from) => ALERT_STATUSES.filter((to) => isAllowedTransition(from, to)).map((to) => `${from}→${to}`));
    assert.deepEqual(allowed.sort(), ["acknowledged→resolved", "open→acknowledged", "open→resolved", "resolved→open"]);
  });
});
