import type { MacVerdict } from "@/lib/records/integrity/mac";

const LOOKS: Record<MacVerdict, { text: string; symbol: string; className: string; title: string }> = {
  valid: {
    text: "signed",
    symbol: "✓",
    className: "text-emerald-800",
    title: "Its MAC verifies: the log is unchanged since it was stored.",
  },
  tampered: {
    text: "tampered",
    symbol: "✗",
    className: "font-semibold text-red-800",
    title: "Its MAC does not verify: the log was changed after it was stored.",
  },
  unverifiable: {
    text: "unverifiable",
    symbol: "?",
    className: "text-amber-800",
    title: "Signed with a key this server no longer holds.",
  },
};

export function IntegrityBadge({ verdict }: { verdict: MacVerdict }) {
  const look = LOOKS[verdict];
  return (
    <span className={`inline-flex items-center gap-1 text-xs ${look.className}`} title={look.title}>
      <span aria-hidden>{look.symbol}</span>
      {look.text}
    </span>
  );
}
