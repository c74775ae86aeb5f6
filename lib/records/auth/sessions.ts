// Sessions live in the database, so any app instance can serve any request.
// A session ends after SESSION_IDLE_MINUTES without use, SESSION_MAX_HOURS
// after sign-in, on sign-out, or when its user is disabled.
import type { Db } from "mongodb";
import { getConfig } from "@/lib/foundation/config";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { newSessionCookieValue, sessionIdOf, tokenFromCookieValue } from "./session-token";
import { getUserById, type UserSummary } from "./users";

export type SessionRecord = {
  _id: string; // sha256 of the token
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date; // absolute limit
};

const TOUCH_RESOLUTION_MS = 60_000;

function sessions(db: Db) {
  return db.collection<SessionRecord>(COLLECTIONS.sessions);
}

export async function createSession(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<{ cookieValue: string; expiresAt: Date }> {
  const { token, value } = newSessionCookieValue();
  const expiresAt = new Date(now.getTime() + getConfig().sessionMaxMs);
  await sessions(db).insertOne({
    _id: sessionIdOf(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  return { cookieValue: value, expiresAt };
}

/** The signed-in user behind a cookie value, or null; keeps an active session alive. */
export async function readSession(
  db: Db,
  cookieValue: string | undefined,
  now = new Date(),
): Promise<UserSummary | null> {
  const token = tokenFromCookieValue(cookieValue);
  if (!token) return null;
  const id = sessionIdOf(token);
  const session = await sessions(db).findOne({ _id: id });
  if (!session) return null;
  const idleFor = now.getTime() - session.last_seen_at.getTime();
  if (idleFor > getConfig().sessionIdleMs || now >= session.expires_at) {
    await sessions(db).deleteOne({ _id: id });
    return null;
  }
  const user = await getUserById(db, session.user_id);
  // A disabled account, or a password changed after sign-in, ends the session.
  if (!user || user.disabled_at || user.password_changed_at > session.created_at) {
    await sessions(db).deleteOne({ _id: id });
    return null;
  }
  if (idleFor > TOUCH_RESOLUTION_MS) await sessions(db).updateOne({ _id: id }, { $set: { last_seen_at: now } });
  return user;
}

export async function deleteSession(db: Db, cookieValue: string | undefined): Promise<void> {
  const token = tokenFromCookieValue(cookieValue);
  if (token) await sessions(db).deleteOne({ _id: sessionIdOf(token) });
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await sessions(db).deleteMany({ user_id: userId });
}

/** Removes sessions that can no longer be used; the embedded server has no TTL indexes. */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const idleSince = new Date(now.getTime() - getConfig().sessionIdleMs);
  const { deletedCount } = await sessions(db).deleteMany({
    $or: [{ last_seen_at: { $lt: idleSince } }, { expires_at: { $lte: now } }],
  });
  return deletedCount;
}
