export default function LogsLoading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading logs…</span>
      <div className="mb-2 h-7 w-24 rounded bg-slate-200" />
      <div className="mb-6 h-4 w-80 max-w-full rounded bg-slate-200" />
      <div className="mb-4 h-40 rounded-lg bg-slate-200" />
      <div className="space-y-2 rounded-lg bg-white p-4">
        {Array.from({ length: 10 }, (_, index) => (
          <div key={index} className="h-6 rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
