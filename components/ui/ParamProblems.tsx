import type { FieldProblem } from "@/lib/http/validation";
import { EmptyState } from "./EmptyState";

/** A page's URL parameters that cannot be used, each named with its problem, and (children) the way out. */
export function ParamProblems({ title, problems, children }: { title: string; problems: readonly FieldProblem[]; children: React.ReactNode }) {
  return (
    <EmptyState title={title} tone="error">
      <ul className="list-inside list-disc text-left">
        {problems.map((problem, index) => (
          <li key={index}>
            <strong>{problem.field}</strong> {problem.message}
          </li>
        ))}
      </ul>
      <p>{children}</p>
    </EmptyState>
  );
}
