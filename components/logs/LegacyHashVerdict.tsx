import { LEGACY_METADATA, type LegacyVerdict } from "@/lib/records/integrity/legacy-hash";
import type { StoredLog } from "@/lib/records/logs/record";

const LOOKS: Record<Exclude<LegacyVerdict, "mismatched">, { text: string; className: string }> = {
  verified: { text: "✓ verified at import: the original project's log_hash matched", className: "text-emerald-800" },
  not_checkable: { text: "not checkable: the original log had no log_id", className: "text-slate-700" },
  unchecked: { text: "not checked: imported without the legacy key", className: "text-amber-800" },
};

/** The verdict on the original project's hash that the import of this log recorded in its metadata. */
export function LegacyHashVerdict({ metadata }: { metadata: StoredLog["metadata"] }) {
  const verdict = metadata?.[LEGACY_METADATA.verdict];
  const look =
    typeof verdict === "string" && verdict in LOOKS
      ? LOOKS[verdict as keyof typeof LOOKS]
      : { text: `unknown verdict ${JSON.stringify(verdict)}`, className: "text-red-800" };
  return (
    <span className={`text-xs ${look.className}`} title="Recorded when the log was imported; this log's MAC covers it.">
      {look.text}
    </span>
  );
}
