export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading…</span>
      <div className="mb-2 h-7 w-48 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 max-w-full rounded bg-slate-200" />
      <div className="h-48 rounded-lg bg-slate-200" />
    </div>
  );
}
