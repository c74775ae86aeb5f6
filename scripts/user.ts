// npm run user – create, list and disable accounts, and reset their passwords and second factors
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { z } from "zod";
import { describeRoles } from "@/lib/records/auth/roles";
import { resetTotp } from "@/lib/records/auth/totp";
import { DisplayName, Email, Password, Role, USER_ROLES } from "@/lib/records/auth/user-schemas";
import {
  createUser,
  disableUser,
  findUserByEmail,
  listUsers,
  resetPassword,
  type UserSummary,
} from "@/lib/records/auth/users";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { EXIT_PROBLEM, EXIT_USAGE, runCli } from "./lib/cli";
import { formatTable } from "./lib/table";

const ROLES = USER_ROLES.join("|");

const USAGE = `Usage:
  npm run user -- create --email EMAIL --role ${ROLES} [--name NAME] [--json]
  npm run user -- list [--json]
  npm run user -- disable EMAIL [--json]
  npm run user -- reset-password EMAIL [--json]
  npm run user -- reset-totp EMAIL [--json]

create          makes an account for the web app. The name defaults to the part
                of the email before "@". Emails are unique, in any case.
list            shows every account with its role, creation and status.
disable         stops an account from signing in; its record is kept.
reset-password  sets a new password for an account.
reset-totp      removes an account's two-factor sign-in (a lost phone): it signs
                in with the password alone, and may set up a new authenticator.

${describeRoles()}

The password is taken from LEDGERLINE_PASSWORD when it is set (for automation),
otherwise asked for twice at the terminal, without echo. It must be 12 to 256
characters and not only whitespace. Passwords and hashes are never printed.`;

const COMMANDS = ["create", "list", "disable", "reset-password", "reset-totp"] as const;
type Command = (typeof COMMANDS)[number];

/** Bad input found after flag parsing: reported in one line with exit code 2. */
class UsageProblem extends Error {}

runCli({
  usage: USAGE,
  allowPositionals: true,
  options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, json: { type: "boolean" } },
  schema: z.object({
    email: Email.optional(),
    role: Role.optional(),
    name: DisplayName.optional(),
    json: z.boolean().default(false),
  }),
  main: async (args, positionals) => {
    const [command, target, ...extra] = positionals;
    if (!COMMANDS.includes(command as Command))
      return usage(command ? `unknown command "${command}"` : "name a command");
    const needsTarget = command === "disable" || command === "reset-password" || command === "reset-totp";
    if (extra.length > 0 || (target && !needsTarget))
      return usage(`unexpected arguments: ${[target, ...extra].filter(Boolean).join(" ")}`);
    if (needsTarget && !target) return usage(`${command} needs the email of an account`);
    if (command === "create" && (!args.email || !args.role))
      return usage(`create needs --email EMAIL and --role ${ROLES}`);
    const parsedTarget = Email.safeParse(target);
    if (needsTarget && !parsedTarget.success) return usage(`"${target}" is not a valid email address`);
    const email = parsedTarget.data ?? "";
    const print = (user: UserSummary, message: string) => console.log(args.json ? JSON.stringify(user) : message);

    try {
      switch (command as Command) {
        case "create": {
          const password = await readPassword();
          const user = await createUser(
            await getDb(),
            { email: args.email!, name: args.name, role: args.role! },
            password,
            CLI_ACTOR,
          );
          print(user, `Created user ${user.email} (${user.role}, id ${user.id}).`);
          return;
        }
        case "list": {
          const users = await listUsers(await getDb());
          if (args.json) console.log(JSON.stringify(users));
          else printTable(users);
          return;
        }
        case "disable": {
          const user = await disableUser(await getDb(), email, CLI_ACTOR);
          if (!user) return noSuchUser(email);
          print(user, `Disabled user ${user.email} (since ${user.disabled_at!.toISOString()}).`);
          return;
        }
        case "reset-password": {
          const db = await getDb();
          if (!(await findUserByEmail(db, email))) return noSuchUser(email);
          const user = await resetPassword(db, email, await readPassword(), CLI_ACTOR);
          if (!user) return noSuchUser(email);
          print(user, `Reset the password of ${user.email}.`);
          return;
        }
        case "reset-totp": {
          const reset = await resetTotp(await getDb(), email, CLI_ACTOR);
          if (!reset) return noSuchUser(email);
          const { user, hadFactor } = reset;
          const message = hadFactor
            ? `Reset two-factor sign-in of ${user.email}; the password alone signs in now.`
            : `${user.email} had no two-factor sign-in; nothing to reset.`;
          if (args.json) console.log(JSON.stringify({ ...user, totp_reset: hadFactor }));
          else console.log(message);
          return;
        }
      }
    } catch (error) {
      // Anything else, a DuplicateUserError included, is a one-line error with exit 1 from runCli.
      if (!(error instanceof UsageProblem)) throw error;
      console.error(`error: ${error.message}`);
      return EXIT_USAGE;
    } finally {
      await closeMongoClient();
    }
  },
});

function usage(message: string): number {
  console.error(`error: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

function noSuchUser(email: string): number {
  console.error(`error: no account has the email "${email}"`);
  return EXIT_PROBLEM;
}

/** From LEDGERLINE_PASSWORD, else typed twice at a terminal; checked against the policy. */
async function readPassword(): Promise<string> {
  let password = getConfig().cliPassword;
  if (password === undefined) {
    if (!process.stdin.isTTY)
      throw new UsageProblem("no password given: set LEDGERLINE_PASSWORD, or run this in a terminal to type one");
    const [typed, repeated] = await promptHidden(["New password: ", "Repeat the password: "]);
    if (typed !== repeated) throw new UsageProblem("the two passwords differ");
    password = typed;
  }
  const checked = Password.safeParse(password);
  if (!checked.success) throw new UsageProblem(`the password ${checked.error.issues[0]!.message}`);
  return checked.data;
}

/**
 * Asks each question on the terminal without echoing the answers: readline
 * echoes to a stream that discards everything. Lines are read through one
 * buffered iterator, so lines pasted at once are not lost between questions.
 */
async function promptHidden(questions: string[]): Promise<string[]> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: process.stdin, output: discard, terminal: true });
  prompt.on("SIGINT", () => prompt.close());
  const lines = prompt[Symbol.asyncIterator]();
  const answers = [];
  try {
    for (const question of questions) {
      process.stdout.write(question);
      const line = await lines.next();
      process.stdout.write("\n");
      if (line.done) throw new UsageProblem("cancelled");
      answers.push(line.value);
    }
    return answers;
  } finally {
    prompt.close();
  }
}

function printTable(users: UserSummary[]): void {
  if (users.length === 0) {
    console.log("No users yet. Create one with: npm run user -- create --email EMAIL --role admin");
    return;
  }
  const rows = users.map((user) => [
    user.email,
    user.name,
    user.role,
    user.created_at.toISOString(),
    user.disabled_at ? `disabled ${user.disabled_at.toISOString()}` : "active",
  ]);
  console.log(formatTable(["EMAIL", "NAME", "ROLE", "CREATED", "STATUS"], rows));
}
