import type { z } from "zod";
import { ApiError } from "./errors";

export type FieldProblem = { index?: number; field: string; message: string };

/** zod issues as `{ index, field, message }`, naming the field and the problem. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], index?: number): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const field = issue.path.map(String).join(".");
    const at = (f: string, message: string) =>
      index === undefined ? { field: f, message } : { index, field: f, message };
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => at(field ? `${field}.${key}` : key, "is not a known field"));
    }
    if (issue.code === "invalid_key") {
      return [at(field, issue.issues[0]?.message ?? issue.message)];
    }
    if (issue.code === "invalid_type") return [at(field || "(body)", describeWrongType(issue))];
    return [at(field || "(body)", issue.message)];
  });
}

// zod's own wording ("Invalid input: expected string, received undefined") reads as jargon.
function describeWrongType(issue: z.core.$ZodIssueInvalidType): string {
  const received = /received (\w+)/.exec(issue.message)?.[1];
  if (received === "undefined") return "is required";
  return `must be ${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}${received ? `, not ${received}` : ""}`;
}

/** 400 validation_failed listing every problem; `outcome` says what was not done. */
export function validationError(problems: FieldProblem[], outcome = "nothing was stored"): ApiError {
  const count = problems.length;
  return new ApiError("validation_failed", `${count} problem${count === 1 ? "" : "s"} found; ${outcome}.`, problems);
}
