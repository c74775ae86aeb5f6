// The suppression rules: two small collections, read whole by every
// checkpoint's detection, by the rules page and by backups, never cached (several app
// instances share them). Both are insert-only: a rule, and its removal under
// the rule's id, so that of two people removing a rule at once only one
// succeeds, on the embedded server too. A removed rule stays: a checkpoint
// signed before the removal and derived again after it (a writer finishing a
// crashed derivation) must judge its findings the same way. Creating and
// removing a rule is audited in Ledgerline's own signed log.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/records/audit/security-events";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { isDuplicateKeyError } from "@/lib/platform/db/errors";
import { ApiError } from "@/lib/platform/http/errors";
import {
  createSuppressionMatcher,
  ruleOf,
  ruleStateAt,
  type SuppressionRule,
  type SuppressionRuleCreate,
} from "./suppression-rules";

/** Rules kept at most, removed ones aside: more would make every checkpoint's read of them costly. */
export const MAX_SUPPRESSION_RULES = 500;

type StoredRule = Omit<SuppressionRule, "removed_at" | "removed_by">;
type RuleRemoval = { _id: string; removed_at: Date; removed_by: string };

export function suppressionRules(db: Db) {
  return db.collection<StoredRule>(COLLECTIONS.suppressionRules);
}

function removals(db: Db) {
  return db.collection<RuleRemoval>(COLLECTIONS.suppressionRemovals);
}

/** Every rule, removed ones with when and by whom. */
export async function readSuppressionRules(db: Db): Promise<SuppressionRule[]> {
  const [rules, removed] = await Promise.all([suppressionRules(db).find().toArray(), removals(db).find().toArray()]);
  const removalOf = new Map(removed.map(({ _id, ...removal }) => [_id, removal]));
  return rules.map((rule) => ({ ...rule, ...removalOf.get(rule._id) }));
}

/** A rule as its two collections hold it: the rule, and its removal when it was removed. */
export function storedFormsOf({ removed_at, removed_by, ...rule }: SuppressionRule): {
  rule: StoredRule;
  removal: RuleRemoval | null;
} {
  return { rule, removal: removed_at && removed_by !== undefined ? { _id: rule._id, removed_at, removed_by } : null };
}

/** Every rule not removed, active ones first, newest first. */
export async function listSuppressionRules(db: Db, now = new Date()): Promise<SuppressionRule[]> {
  const rules = (await readSuppressionRules(db)).filter((rule) => !rule.removed_at);
  const rank = (rule: SuppressionRule) => (ruleStateAt(rule, now) === "active" ? 0 : 1);
  return rules.sort((a, b) => rank(a) - rank(b) || b.created_at.getTime() - a.created_at.getTime());
}

/** Which rule (if any) mutes each new finding, as the rules stood at `at`. */
export async function readSuppressionMatcher(db: Db, at: Date) {
  return createSuppressionMatcher(await readSuppressionRules(db), at);
}

export async function createSuppressionRule(
  db: Db,
  input: SuppressionRuleCreate,
  actor: Actor,
  now = new Date(),
): Promise<SuppressionRule> {
  const kept = (await readSuppressionRules(db)).filter((rule) => !rule.removed_at).length;
  if (kept >= MAX_SUPPRESSION_RULES) {
    throw new ApiError(
      "conflict",
      `There are ${kept} suppression rules, the most kept; remove expired or unneeded ones first.`,
    );
  }
  const rule = ruleOf(input, randomUUID(), actor.user, now);
  await suppressionRules(db).insertOne(rule);
  await recordSecurityEvent(db, {
    ...actor,
    action: "suppression_rule_created",
    status: "success",
    message: `Suppression rule created: mute ${describeRule(rule)} (${rule.reason})`,
    metadata: auditFacts(rule),
  });
  return rule;
}

/** Removes the rule (alerts it muted stay suppressed); 404 for an unknown or already removed one. */
export async function removeSuppressionRule(
  db: Db,
  id: string,
  actor: Actor,
  now = new Date(),
): Promise<SuppressionRule> {
  const gone = () => new ApiError("not_found", "No suppression rule has this id; it may have been removed already.");
  const rule = await suppressionRules(db).findOne({ _id: id });
  if (!rule) throw gone();
  try {
    await removals(db).insertOne({ _id: id, removed_at: now, removed_by: actor.user });
  } catch (error) {
    if (isDuplicateKeyError(error)) throw gone();
    throw error;
  }
  const removed = { ...rule, removed_at: now, removed_by: actor.user };
  await recordSecurityEvent(db, {
    ...actor,
    action: "suppression_rule_removed",
    status: "success",
    message: `Suppression rule removed: it muted ${describeRule(rule)}`,
    metadata: auditFacts(removed),
  });
  return removed;
}

/** "unknown_network findings of ip 203.0.113.0/24 until 2026-12-14T10:00:00.000Z" */
export function describeRule(rule: SuppressionRule): string {
  const subject = [rule.ip && `ip ${rule.ip}`, rule.user && `user ${rule.user}`, rule.source && `source ${rule.source}`]
    .filter(Boolean)
    .join(" and ");
  const until = rule.expires_at ? `until ${rule.expires_at.toISOString()}` : "with no end";
  return `${rule.type ?? "all"} findings of ${subject} ${until}`;
}

function auditFacts(rule: SuppressionRule): Record<string, string> {
  return {
    rule_id: rule._id,
    finding_type: rule.type ?? "any",
    ...(rule.ip && { ip: rule.ip }),
    ...(rule.user && { user: rule.user }),
    ...(rule.source && { source: rule.source }),
    expires_at: rule.expires_at?.toISOString() ?? "never",
  };
}
