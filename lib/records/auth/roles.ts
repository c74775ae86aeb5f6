// Who may do what. Viewers read logs, alerts and dashboards; analysts may
// also acknowledge, resolve and reopen alerts; administrators also manage API
// keys, users and imports, and start verifications. Pure, so pages, buttons
// and the request wrapper read the same rules.
import { USER_ROLES, type Role } from "./user-schemas";

/** Whether someone with `role` may do what `required` may; a role this version does not know may do nothing. */
export function hasRole(role: Role, required: Role): boolean {
  const rank = USER_ROLES.indexOf(role);
  return rank !== -1 && rank <= USER_ROLES.indexOf(required);
}

const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  viewer: "reads logs, alerts and dashboards",
  analyst: "also acknowledges, resolves and reopens alerts",
  admin: "also manages API keys, users and imports, and starts verifications",
};

/** One sentence on every role, for help texts: "Roles: viewer reads …; analyst also …; admin also …." */
export function describeRoles(): string {
  return `Roles: ${[...USER_ROLES]
    .reverse()
    .map((role) => `${role} ${ROLE_DESCRIPTIONS[role]}`)
    .join("; ")}.`;
}

/** Who may do what needs `required`, for a refusal: "analysts and administrators". */
export function rolesAllowed(required: Role): string {
  const names: Record<Role, string> = { admin: "administrators", analyst: "analysts", viewer: "viewers" };
  return USER_ROLES.filter((role) => hasRole(role, required))
    .map((role) => names[role])
    .join(" and ");
}
