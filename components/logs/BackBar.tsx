import Link from "next/link";
import { TimeDisplayToggle } from "./TimeDisplayToggle";

/** A detail page's way back to its list, beside the choice of local or UTC times. */
export function BackBar({ href, label }: { href: "/logs" | "/anomalies"; label: string }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
      <Link href={href} className="text-sm text-sky-800 underline">
        ← {label}
      </Link>
      <TimeDisplayToggle />
    </div>
  );
}
