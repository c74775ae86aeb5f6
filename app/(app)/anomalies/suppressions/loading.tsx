export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading the suppression rules…</span>
      <div className="mb-2 h-7 w-56 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-96 max-w-full rounded bg-slate-200" />
      <div className="mb-2 h-5 w-24 rounded bg-slate-200" />
      <div className="mb-8 h-32 rounded-lg bg-slate-200" />
      <div className="h-56 rounded-lg bg-slate-200" />
    </div>
  );
}
