import type { FieldProblem } from "@/lib/platform/http/validation";
import { EmptyState } from "./EmptyState";

/** Page parameters that cannot be used, each named with what is wrong, and what to do instead. */
export function ParameterProblems({
  title,
  problems,
  children,
}: {
  title: string;
  problems: FieldProblem[];
  children: React.ReactNode;
}) {
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
