// People who sign in to the web app: an email, a role and a scrypt hash.
// Emails are unique through the email_unique index, so the insert itself
// refuses a second account and two concurrent creates cannot both succeed.
// Every change is recorded, with who made it, in Ledgerline's own signed log.
import { randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./passwords";
import { Email, Password, UserCreate, type Role, type UserCreateInput } from "./user-schemas";

export type UserRecord = {
  _id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: Date;
  updated_at: Date;
  password_changed_at: Date;
  disabled_at: Date | null;
};

export type UserSummary = Omit<UserRecord, "_id" | "password_hash"> & { id: string };

export class DuplicateUserError extends Error {
  override name = "DuplicateUserError";
}

function users(db: Db) {
  return db.collection<UserRecord>(COLLECTIONS.users);
}

/** Throws a ZodError when the input or the password breaks the rules in user-schemas.ts. */
export async function createUser(db: Db, input: UserCreateInput, password: string, actor: Actor): Promise<UserSummary> {
  const { email, name, role } = UserCreate.parse(input);
  const now = new Date();
  const record: UserRecord = {
    _id: randomBytes(16).toString("hex"),
    email,
    name,
    role,
    password_hash: await hashPassword(Password.parse(password)),
    created_at: now,
    updated_at: now,
    password_changed_at: now,
    disabled_at: null,
  };
  try {
    await users(db).insertOne(record);
  } catch (error) {
    if (isDuplicateKeyError(error)) throw new DuplicateUserError(`A user with the email "${email}" already exists.`);
    throw error;
  }
  await recordUserEvent(db, actor, "user_created", record, `User "${email}" created with role ${role}`);
  return summarize(record);
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  const records = await users(db).find({}).sort({ created_at: 1 }).toArray();
  return records.map(summarize);
}

export async function countUsers(db: Db): Promise<number> {
  return users(db).countDocuments({});
}

export async function findUserByEmail(db: Db, email: string): Promise<UserSummary | null> {
  const record = await findRecordByEmail(db, email);
  return record && summarize(record);
}

export async function getUserById(db: Db, id: string): Promise<UserSummary | null> {
  const record = await users(db).findOne({ _id: id });
  return record && summarize(record);
}

/** Disables the account (keeping the first date when it already is); null when no account has the email. */
export async function disableUser(db: Db, email: string, actor: Actor): Promise<UserSummary | null> {
  const record = await findRecordByEmail(db, email);
  if (!record || record.disabled_at) return record && summarize(record);
  const now = new Date();
  await users(db).updateOne({ _id: record._id }, { $set: { disabled_at: now, updated_at: now } });
  await recordUserEvent(db, actor, "user_disabled", record, `User "${record.email}" disabled`);
  return summarize({ ...record, disabled_at: now, updated_at: now });
}

/** Sets a new password (checked against the policy); null when no account has the email. */
export async function resetPassword(
  db: Db,
  email: string,
  password: string,
  actor: Actor,
): Promise<UserSummary | null> {
  const record = await findRecordByEmail(db, email);
  if (!record) return null;
  const passwordHash = await hashPassword(Password.parse(password));
  const now = new Date();
  await users(db).updateOne(
    { _id: record._id },
    { $set: { password_hash: passwordHash, password_changed_at: now, updated_at: now } },
  );
  await recordUserEvent(db, actor, "user_password_reset", record, `Password of user "${record.email}" reset`);
  return summarize({ ...record, password_hash: passwordHash, password_changed_at: now, updated_at: now });
}

/**
 * The account when the email and password match an enabled account, else
 * null. Unknown accounts are checked against a dummy hash, so every answer
 * costs one scrypt and says nothing about which of the checks failed.
 */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<UserSummary | null> {
  const record = await findRecordByEmail(db, email);
  const matches = await verifyPassword(password, record?.password_hash ?? DUMMY_PASSWORD_HASH);
  return record && matches && !record.disabled_at ? summarize(record) : null;
}

async function findRecordByEmail(db: Db, email: string): Promise<UserRecord | null> {
  const parsed = Email.safeParse(email);
  return parsed.success ? users(db).findOne({ email: parsed.data }) : null;
}

/** Names the account changed, never its password or hash. */
async function recordUserEvent(
  db: Db,
  actor: Actor,
  action: string,
  record: UserRecord,
  message: string,
): Promise<void> {
  const metadata = { user_id: record._id, email: record.email, role: record.role };
  await recordSecurityEvent(db, { ...actor, action, status: "success", message, metadata });
}

function summarize({ _id, password_hash: _hash, ...rest }: UserRecord): UserSummary {
  return { id: _id, ...rest };
}
