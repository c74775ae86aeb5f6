/** success/failed in words and colour, so colour is never the only signal. */
export function StatusBadge({ status }: { status: string }) {
  const failed = status === "failed";
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${
        failed ? "bg-red-50 text-red-800 ring-1 ring-red-200" : "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200"
      }`}
    >
      <span aria-hidden>{failed ? "✗" : "✓"}</span>
      {failed ? "failed" : "success"}
    </span>
  );
}
