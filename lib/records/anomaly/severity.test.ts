import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { FINDING_TYPES } from "./finding";
import { RULE_SEVERITIES, severityReason, windowRuleSeverity } from "./severity";

const config = parseDetectionConfig({ burstThreshold: 5, sprayUsers: 4, windowMinutes: 10 });

describe("windowRuleSeverity", () => {
  it("is high from the threshold and critical from three times it", () => {
    assert.equal(windowRuleSeverity(5, 5), "high");
    assert.equal(windowRuleSeverity(14, 5), "high");
    assert.equal(windowRuleSeverity(15, 5), "critical");
  });
});

describe("severityReason", () => {
  it("names the threshold, the window and where a burst becomes critical", () => {
    assert.equal(
      severityReason("failure_burst", "high", config),
      "High: the failed sign-ins from this address in one burst reached the threshold of 5 in 10 min; it becomes critical at 15.",
    );
    assert.match(
      severityReason("failure_burst", "critical", config),
      /^Critical: .* reached 15, 3 times the threshold of 5 in 10 min\.$/,
    );
  });

  it("counts distinct users for spraying", () => {
    assert.match(
      severityReason("password_spraying", "high", config),
      /distinct users .* threshold of 4 .* critical at 12\./,
    );
  });

  it("gives the configured off hours and baseline for the per-user rules", () => {
    assert.match(severityReason("off_hours", "low", config), /00:00–05:00 UTC/);
    assert.match(severityReason("new_ip_for_user", "medium", config), /14 days before/);
  });

  it("starts with the severity it explains, for every type", () => {
    for (const type of FINDING_TYPES) {
      const severity = type in RULE_SEVERITIES ? RULE_SEVERITIES[type as keyof typeof RULE_SEVERITIES] : "high";
      assert.match(severityReason(type, severity, config), new RegExp(`^${severity}:`, "i"), type);
    }
  });
});
