import { ruleStateAt, type SuppressionRule } from "./suppression-rules";

/** A rule as API clients and pages see it: its id as `id`, and whether it mutes findings now. */
export function suppressionRuleJson({ _id, removed_at, removed_by, ...rule }: SuppressionRule, now = new Date()) {
  const status = ruleStateAt({ _id, ...rule, ...(removed_at && { removed_at }) }, now);
  return {
    id: _id,
    ...rule,
    status: status === "pending" ? ("active" as const) : status,
    removed_at: removed_at ?? null,
    removed_by: removed_by ?? null,
  };
}

export type SuppressionRuleJson = ReturnType<typeof suppressionRuleJson>;
