// The suppression rules collection: a handful of documents, read whole by
// every checkpoint's detection and by the rules page, never cached (several
// app instances share it). Creating and removing a rule is audited in
// Ledgerline's own signed log. A removed rule stays as a tombstone: a
// checkpoint signed before the removal and derived again after it (a writer
// finishing a crashed derivation) must judge its findings the same way.
import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import { recordSecurityEvent, type Actor } from "@/lib/audit/security-events";
import { COLLECTIONS } from "@/lib/db/collections";
import { ApiError } from "@/lib/http/errors";
import { createSuppressionMatcher, ruleOf, ruleStateAt, type SuppressionRule, type SuppressionRuleCreate } from "./suppression-rules";

/** Rules kept at most, removed ones aside: more would make every checkpoint's read of them costly. */
export const MAX_SUPPRESSION_RULES = 500;

export function suppressionRules(db: Db) {
  return db.collection<SuppressionRule>(COLLECTIONS.suppressionRules);
}

/** Every rule not removed, active ones first, newest first. */
export async function listSuppressionRules(db: Db, now = new Date()): Promise<SuppressionRule[]> {
  const rules = await suppressionRules(db).find({ removed_at: { $exists: false } }).toArray();
  const rank = (rule: SuppressionRule) => (ruleStateAt(rule, now) === "active" ? 0 : 1);
  return rules.sort((a, b) => rank(a) - rank(b) || b.created_at.getTime() - a.created_at.getTime());
}

/** Which rule (if any) mutes each new finding, as the rules stood at `at`. */
export async function readSuppressionMatcher(db: Db, at: Date) {
  return createSuppressionMatcher(await suppressionRules(db).find().toArray(), at);
}

export async function createSuppressionRule(db: Db, input: SuppressionRuleCreate, actor: Actor, now = new Date()): Promise<SuppressionRule> {
  const kept = await suppressionRules(db).countDocuments({ removed_at: { $exists: false } });
  if (kept >= MAX_SUPPRESSION_RULES) {
    throw new ApiError("conflict", `There are ${kept} suppression rules, the most kept; remove expired or unneeded ones first.`);
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
export async function removeSuppressionRule(db: Db, id: string, actor: Actor, now = new Date()): Promise<SuppressionRule> {
  const rule = await suppressionRules(db).findOne({ _id: id });
  if (!rule || rule.removed_at) throw new ApiError("not_found", "No suppression rule has this id; it may have been removed already.");
  const updated = await suppressionRules(db).updateOne({ _id: id, removed_at: { $exists: false } }, { $set: { removed_at: now, removed_by: actor.user } });
  if (updated.modifiedCount === 0) throw new ApiError("not_found", "No suppression rule has this id; it may have been removed already.");
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
  const subject = [rule.ip && `ip ${rule.ip}`, rule.user && `user ${rule.user}`, rule.source && `source ${rule.source}`].filter(Boolean).join(" and ");
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
