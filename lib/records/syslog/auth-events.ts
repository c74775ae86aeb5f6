// Which authentication lines of sshd, sudo and su are attempts, one event per
// attempt and no state across lines: where several lines describe the same
// attempt (sshd's "Invalid user" and PAM's "authentication failure" beside its
// "Failed password"), one of them is the event and the others are skipped as
// `same_attempt`. docs/shippers.md has the table.
import { isIP } from "node:net";

export const SKIP_REASONS = ["not_syslog", "no_security_event", "same_attempt"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type Details = Record<string, string | number | boolean>;

export type Attempt = {
  user: string;
  ip?: string;
  action: "ssh_login" | "sudo_command" | "su_login";
  status: "success" | "failed";
  /** How many attempts the line stands for (`message repeated N times`, sudo's `N incorrect password attempts`). */
  count: number;
  details: Details;
};

export type AttemptOutcome = { attempt: Attempt } | { skipped: SkipReason };

const SSHD = /^sshd(?:-session|-auth)?$/;
const REPEATED = /^message repeated (\d+) times?: \[ ?(.*)\]$/;

// The user is greedy: a user name may itself hold " from ", the address after the last one is the client's.
const SSHD_RESULT = /^(Failed|Accepted) (\S+) for (invalid user )?(.*) from (\S+) port (\d+)(.*)$/;
const SSHD_KEY = /^ ssh\d: (.+)$/;
const SSHD_SAME_ATTEMPT = [
  /^Invalid user /,
  /^input_userauth_request: invalid user /,
  /^pam_unix\(sshd:auth\): /,
  /^PAM \d+ more authentication failures?;/,
  /^error: PAM: Authentication failure for /,
  /^error: maximum authentication attempts exceeded for /,
  /^Disconnecting (?:authenticating|invalid) user .*: Too many authentication failures/,
];

const SUDO_LINE = /^\s*(\S+) : (.+)$/;
const SUDO_FIELD = /^([A-Z]+)=(.*)$/;
const SUDO_WRONG_PASSWORDS = /^(\d+) incorrect password attempts?$/;
const SUDO_DENIALS = new Set(["user NOT in sudoers", "user NOT authorized on host", "command not allowed"]);
const SUDO_SAME_ATTEMPT = /^pam_unix\(sudo(?:-i)?:auth\): /;

const SU_RESULT = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/;
const SU_SAME_ATTEMPT = [/^pam_unix\(su(?:-l)?:auth\): /, /^pam_unix\(su(?:-l)?:session\): session opened /];

/** The attempt a line's message records, or why it records none. */
export function readAttempt(program: string | undefined, message: string): AttemptOutcome {
  const repeated = REPEATED.exec(message);
  if (repeated) {
    const inner = readAttempt(program, repeated[2]!);
    if ("skipped" in inner) return inner;
    return { attempt: { ...inner.attempt, count: inner.attempt.count * Number(repeated[1]) } };
  }
  if (program === undefined) return NO_EVENT;
  if (SSHD.test(program)) return sshdAttempt(message);
  if (program === "sudo") return sudoAttempt(message);
  if (program === "su") return suAttempt(message);
  return NO_EVENT;
}

const NO_EVENT = { skipped: "no_security_event" } as const;
const SAME_ATTEMPT = { skipped: "same_attempt" } as const;

function sshdAttempt(message: string): AttemptOutcome {
  const result = SSHD_RESULT.exec(message);
  if (!result) return SSHD_SAME_ATTEMPT.some((pattern) => pattern.test(message)) ? SAME_ATTEMPT : NO_EVENT;
  const [, verdict, method, invalid, user, address, port, tail] = result;
  // "none" asks which methods the server allows: no credential was tried.
  if (method === "none") return NO_EVENT;
  const details: Details = { method: method!, port: Number(port), invalid_user: invalid !== undefined };
  const key = SSHD_KEY.exec(tail!)?.[1];
  if (key) details.key = key;
  const ip = ipOf(address!);
  if (ip === undefined) details.remote_host = address!;
  return {
    attempt: {
      user: user!,
      ip,
      action: "ssh_login",
      status: verdict === "Accepted" ? "success" : "failed",
      count: 1,
      details,
    },
  };
}

/** An IPv4 or IPv6 address (without an IPv6 zone), or undefined for a host name (sshd's UseDNS). */
function ipOf(address: string): string | undefined {
  const withoutZone = address.replace(/%.*$/, "");
  return isIP(withoutZone) ? withoutZone : undefined;
}

function sudoAttempt(message: string): AttemptOutcome {
  if (SUDO_SAME_ATTEMPT.test(message)) return SAME_ATTEMPT;
  const line = SUDO_LINE.exec(message);
  if (!line) return NO_EVENT;
  const { notes, fields } = sudoFields(line[2]!);
  if (!fields.has("COMMAND")) return NO_EVENT;
  const details: Details = {};
  for (const [field, name] of [
    ["USER", "target_user"],
    ["COMMAND", "command"],
    ["TTY", "tty"],
    ["PWD", "pwd"],
  ] as const) {
    const value = fields.get(field);
    if (value !== undefined) details[name] = value;
  }
  const attempt = (status: Attempt["status"], count: number): AttemptOutcome => ({
    attempt: { user: line[1]!, action: "sudo_command", status, count, details },
  });
  if (notes.length === 0) return attempt("success", 1);
  const wrongPasswords = SUDO_WRONG_PASSWORDS.exec(notes[0]!);
  if (wrongPasswords) {
    details.reason = "incorrect password";
    return attempt("failed", Number(wrongPasswords[1]));
  }
  if (!SUDO_DENIALS.has(notes[0]!)) return NO_EVENT;
  details.reason = notes[0]!;
  return attempt("failed", 1);
}

/** `3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls -l ; x`: COMMAND, the last field, keeps its own " ; ". */
function sudoFields(text: string): { notes: string[]; fields: Map<string, string> } {
  const parts = text.split(" ; ");
  const notes: string[] = [];
  const fields = new Map<string, string>();
  for (const [index, part] of parts.entries()) {
    const field = SUDO_FIELD.exec(part);
    if (!field) notes.push(part.trim());
    else if (field[1] === "COMMAND") {
      fields.set("COMMAND", [field[2]!, ...parts.slice(index + 1)].join(" ; "));
      break;
    } else fields.set(field[1]!, field[2]!);
  }
  return { notes, fields };
}

function suAttempt(message: string): AttemptOutcome {
  const result = SU_RESULT.exec(message);
  if (!result) return SU_SAME_ATTEMPT.some((pattern) => pattern.test(message)) ? SAME_ATTEMPT : NO_EVENT;
  const [, failed, target, user, tty] = result;
  return {
    attempt: {
      user: user!,
      action: "su_login",
      status: failed ? "failed" : "success",
      count: 1,
      details: { target_user: target!, tty: tty! },
    },
  };
}
