import Link from "next/link";

export type Choice = { label: string; query: Record<string, string | string[]>; isCurrent: boolean };

/** A few mutually exclusive views of the /anomalies page as links, so each view has its own address. */
export function ChoiceLinks({ label, choices }: { label: string; choices: Choice[] }) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-1 text-sm">
      <span className="mr-1 text-xs font-medium text-slate-700">{label}</span>
      {choices.map((choice) => (
        <Link
          key={choice.label}
          href={{ pathname: "/anomalies", query: choice.query }}
          aria-current={choice.isCurrent ? "page" : undefined}
          className={
            choice.isCurrent
              ? "rounded-md bg-slate-900 px-2.5 py-1 font-medium text-white"
              : "rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100"
          }
        >
          {choice.label}
        </Link>
      ))}
    </nav>
  );
}
