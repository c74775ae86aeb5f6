import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupByType } from "./group-by-type";

describe("groupByType", () => {
  it("puts groups with an item of a lower rank first, then the most severe, then the rules' order, keeping each group's order", () => {
    const items = [
      { id: 1, type: "off_hours", severity: "low", rank: 0 },
      { id: 2, type: "failure_burst", severity: "high", rank: 1 },
      { id: 3, type: "unknown_network", severity: "medium", rank: 0 },
      { id: 4, type: "off_hours", severity: "medium", rank: 1 },
      { id: 5, type: "new_ip_for_user", severity: "medium", rank: 0 },
    ] as const;
    const groups = groupByType(items, (item) => item.rank);
    assert.deepEqual(
      groups.map((group) => [group.type, group.items.map((item) => item.id)]),
      [
        ["unknown_network", [3]],
        ["off_hours", [1, 4]],
        ["new_ip_for_user", [5]],
        ["failure_burst", [2]],
      ],
    );
  });
});
