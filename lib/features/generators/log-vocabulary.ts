// The words generated security logs are made of: a fixed population of users
// (so every seed shares the same names), their addresses, and what each action
// looks like when it succeeds or fails. External addresses come from the
// documentation ranges (RFC 5737, RFC 3849), so they belong to nobody.
import { weightedPicker, type Random } from "./random";

export const ACTIONS = [
  "login",
  "logout",
  "file_read",
  "file_write",
  "file_delete",
  "data_export",
  "config_change",
  "sudo",
  "password_change",
  "system_update",
  "network_scan",
] as const;
export type Action = (typeof ACTIONS)[number];
export type LogStatus = "success" | "failed";
export type MetadataValue = string | number | boolean;
export type EventDetails = { source: string; message: string; metadata: Record<string, MetadataValue> };

const FIRST_NAMES = [
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
  "mallory",
  "niaj",
  "olivia",
  "peggy",
  "rupert",
  "sybil",
  "trent",
  "victor",
  "walter",
  "wendy",
  "xavier",
  "yara",
  "zoe",
  "omar",
  "lena",
];
const LAST_NAMES = [
  "smith",
  "jones",
  "garcia",
  "chen",
  "patel",
  "muller",
  "rossi",
  "kim",
  "novak",
  "silva",
  "haddad",
  "okafor",
  "larsen",
  "dubois",
  "tanaka",
  "nguyen",
  "kowalski",
  "fischer",
  "moreau",
  "santos",
];
const SERVICE_ACCOUNTS: [rank: number, name: string][] = [
  [6, "svc-backup"],
  [25, "admin"],
  [60, "svc-deploy"],
];
const PEOPLE = 197;

/** 200 users, most active first. */
export const USERS: readonly string[] = (() => {
  const users = Array.from({ length: PEOPLE }, (_, i) => {
    const first = i % FIRST_NAMES.length;
    const round = Math.floor(i / FIRST_NAMES.length);
    return `${FIRST_NAMES[first]}.${LAST_NAMES[(first + 3 * round) % LAST_NAMES.length]}`;
  });
  for (const [rank, name] of SERVICE_ACCOUNTS) users.splice(rank, 0, name);
  return users;
})();

// Zipf-like: the busiest user sends about a tenth of all logs, most send few.
export const pickUserRank = weightedPicker(USERS.map((_, rank) => [rank, 1 / (rank + 1) ** 0.8] as const));

/** Where a user usually works from: a home address in 10.0.0.0/16, another device now and then, rarely outside. */
export function userIp(random: Random, rank: number): string {
  const roll = random.next();
  if (roll < 0.03)
    return random.chance(0.3)
      ? `2001:db8:${(rank + 1).toString(16)}::${random.int(1, 9)}`
      : `198.51.100.${(rank % 254) + 1}`;
  return officeIp(rank, roll < 0.88 ? 0 : random.int(1, 2));
}

/** The fixed address of a user's device (0: their main one) inside 10.0.0.0/16. */
export function officeIp(rank: number, device: number): string {
  return `10.0.${(rank * 37 + device * 101) % 256}.${((rank * 91 + device * 53 + 17) % 254) + 1}`;
}

/** Accounts that run jobs rather than work shifts, with the actions their jobs log. */
export const SERVICE_ACTIONS: ReadonlyMap<string, readonly Action[]> = new Map<string, Action[]>([
  ["svc-backup", ["file_read", "file_read", "data_export"]],
  ["svc-deploy", ["login", "system_update", "config_change", "file_write"]],
]);

/** A person's working hours in UTC, [start, end): shifts starting between 07:00 and 09:00, eight hours long. */
export function workingHours(rank: number): { start: number; end: number } {
  const start = 7 + ((rank * 5) % 3);
  return { start, end: start + 8 };
}

export function attackerIp(random: Random): string {
  return random.chance(0.25) ? `2001:db8:bad::${random.int(1, 0xfff).toString(16)}` : `203.0.113.${random.int(1, 254)}`;
}

export const pickAction = weightedPicker<Action>([
  ["login", 30],
  ["logout", 18],
  ["file_read", 30],
  ["file_write", 12],
  ["config_change", 3],
  ["sudo", 4],
  ["password_change", 2],
]);

/** The workday mix of normal-only traffic: the original project's actions, no attacks. */
export const pickWorkdayAction = weightedPicker<Action>([
  ["login", 26],
  ["logout", 18],
  ["file_read", 28],
  ["file_write", 11],
  ["file_delete", 3],
  ["data_export", 2],
  ["config_change", 3],
  ["sudo", 4],
  ["password_change", 1.5],
  ["system_update", 1],
  ["network_scan", 0.5],
]);

export const FAILURE_RATES: Record<Action, number> = {
  login: 0.09,
  logout: 0,
  file_read: 0.035,
  file_write: 0.04,
  file_delete: 0.03,
  data_export: 0.05,
  config_change: 0.05,
  sudo: 0.06,
  password_change: 0.08,
  system_update: 0.04,
  network_scan: 0.02,
};

const LOGIN_SOURCES = weightedPicker([
  ["vpn", 3],
  ["sshd", 2],
  ["web", 5],
]);
const LOGOUT_SOURCES = weightedPicker([
  ["vpn", 3],
  ["web", 5],
]);
const APP_SOURCES = weightedPicker([
  ["web", 3],
  ["api", 2],
]);
const SHARES = ["finance", "hr", "engineering", "legal", "sales", "ops"];
const FILES = ["report.xlsx", "budget.csv", "contract.pdf", "roadmap.md", "payroll.csv", "notes.txt", "backup.tar.gz"];
const SETTINGS = [
  "firewall.rules",
  "vpn.split_tunnel",
  "sso.session_ttl",
  "backup.schedule",
  "smtp.relay",
  "audit.retention",
];
const COMMANDS = [
  "/usr/bin/systemctl restart nginx",
  "/usr/bin/apt-get upgrade",
  "/usr/bin/journalctl -u sshd",
  "/bin/cat /etc/shadow",
];
const DATASETS = ["customers", "invoices", "audit_trail", "inventory", "payroll"];
const PACKAGES = ["openssl", "nginx", "postgresql", "linux-image", "node"];
const FAILURE_REASONS = [
  "bad_password",
  "bad_password",
  "bad_password",
  "unknown_user",
  "mfa_timeout",
  "account_locked",
];

/** What a service would write about one event. */
export function describeEvent(
  random: Random,
  event: { action: Action; status: LogStatus; user: string; ip: string; source?: string },
): EventDetails {
  const { action, user, ip } = event;
  const ok = event.status === "success";
  switch (action) {
    case "login": {
      const source = event.source ?? LOGIN_SOURCES(random);
      const method =
        source === "sshd"
          ? random.pick(["publickey", "password"])
          : source === "vpn"
            ? "certificate"
            : random.pick(["sso", "password"]);
      const metadata: Record<string, MetadataValue> = { method, mfa: source !== "sshd" && random.chance(0.8) };
      if (!ok) metadata.reason = random.pick(FAILURE_REASONS);
      return { source, message: loginMessage(source, method, ok, user, ip), metadata };
    }
    case "logout":
      return {
        source: LOGOUT_SOURCES(random),
        message: `Session closed for ${user}`,
        metadata: { session_minutes: random.int(1, 600) },
      };
    case "file_delete": {
      const path = `/srv/shares/${random.pick(SHARES)}/${random.pick(FILES)}`;
      return {
        source: APP_SOURCES(random),
        message: ok ? `Deleted ${path}` : `Permission denied deleting ${path}`,
        metadata: { path },
      };
    }
    case "data_export": {
      const dataset = random.pick(DATASETS);
      return {
        source: APP_SOURCES(random),
        message: ok ? `Exported ${dataset}` : `Export of ${dataset} refused: missing permission`,
        metadata: { dataset, rows: random.int(10, 200_000), format: random.pick(["csv", "xlsx", "json"]) },
      };
    }
    case "system_update": {
      const pkg = random.pick(PACKAGES);
      const host = `app-${String(random.int(1, 12)).padStart(2, "0")}`;
      return {
        source: "deploy",
        message: ok ? `Updated ${pkg} on ${host}` : `Update of ${pkg} on ${host} failed: dependency conflict`,
        metadata: { host, package: pkg },
      };
    }
    case "network_scan": {
      const range = `10.0.${random.int(0, 255)}.0/24`;
      return {
        source: "scanner",
        message: ok
          ? `Scheduled vulnerability scan of ${range} finished`
          : `Scheduled vulnerability scan of ${range} aborted: timeout`,
        metadata: { range, hosts: random.int(0, 254) },
      };
    }
    case "file_read":
    case "file_write": {
      const path = `/srv/shares/${random.pick(SHARES)}/${random.pick(FILES)}`;
      const verb = action === "file_read" ? "reading" : "writing";
      return {
        source: APP_SOURCES(random),
        message: ok ? `${action === "file_read" ? "Read" : "Wrote"} ${path}` : `Permission denied ${verb} ${path}`,
        metadata: { path, bytes: random.int(200, 5_000_000) },
      };
    }
    case "config_change": {
      const setting = random.pick(SETTINGS);
      return {
        source: APP_SOURCES(random),
        message: ok ? `Changed ${setting}` : `Change to ${setting} rejected`,
        metadata: { setting, ticket: `CHG-${random.int(1000, 9999)}` },
      };
    }
    case "sudo": {
      const command = random.pick(COMMANDS);
      return {
        source: "sshd",
        message: ok ? `${user} : COMMAND=${command}` : `${user} : 3 incorrect password attempts ; COMMAND=${command}`,
        metadata: { host: `app-${String(random.int(1, 12)).padStart(2, "0")}`, command },
      };
    }
    case "password_change":
      return {
        source: "web",
        message: ok ? "Password changed" : "Password change rejected by policy",
        metadata: { forced: random.chance(0.2) },
      };
  }
}

function loginMessage(source: string, method: string, ok: boolean, user: string, ip: string): string {
  if (source === "sshd") return `${ok ? "Accepted" : "Failed"} ${method} for ${user} from ${ip}`;
  if (source === "vpn") return ok ? `VPN session established for ${user}` : `VPN authentication failed for ${user}`;
  return ok ? `User ${user} signed in` : `Sign-in failed for ${user}: invalid credentials`;
}
