import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeRoles, hasRole, rolesAllowed } from "./roles";
import type { Role } from "./user-schemas";

describe("hasRole", () => {
  it("lets admins do everything, analysts what analysts and viewers may, viewers only read", () => {
    assert.equal(hasRole("admin", "analyst"), true);
    assert.equal(hasRole("analyst", "analyst"), true);
    assert.equal(hasRole("analyst", "viewer"), true);
    assert.equal(hasRole("viewer", "analyst"), false);
    assert.equal(hasRole("analyst", "admin"), false);
    assert.equal(hasRole("root" as Role, "viewer"), false);
  });

  it("names who may do what a role needs", () => {
    assert.equal(rolesAllowed("admin"), "administrators");
    assert.equal(rolesAllowed("analyst"), "administrators and analysts");
  });

  it("describes every role, from the fewest rights up", () => {
    assert.match(describeRoles(), /^Roles: viewer reads .*; analyst also .*alerts; admin also .*\.$/);
  });
});
