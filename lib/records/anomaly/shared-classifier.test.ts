import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDetectionConfig } from "@/lib/foundation/detection-config";
import { sharedIpClassifier } from "./shared-classifier";

describe("sharedIpClassifier", () => {
  it("gives one classifier per configuration's allowlist, answering as a fresh one would", () => {
    const config = parseDetectionConfig({ allowedNetworks: "10.0.0.0/16, 2001:db8::/32" });
    const classify = sharedIpClassifier(config.allowedNetworks);
    assert.equal(sharedIpClassifier(config.allowedNetworks), classify);
    assert.notEqual(
      sharedIpClassifier(parseDetectionConfig({ allowedNetworks: "10.0.0.0/16, 2001:db8::/32" }).allowedNetworks),
      classify,
    );
    assert.deepEqual(classify("::FFFF:a00:1"), { key: "10.0.0.1", isAllowed: true });
    assert.deepEqual(classify("2001:DB8:0:0::1"), { key: "2001:db8::1", isAllowed: true });
    assert.deepEqual(classify("10.1.0.1"), { key: "10.1.0.1", isAllowed: false });
  });
});
