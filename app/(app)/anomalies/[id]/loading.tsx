export default function AlertLoading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading the alert…</span>
      <div className="mb-2 h-7 w-96 max-w-full rounded bg-slate-200" />
      <div className="mb-6 h-4 w-80 max-w-full rounded bg-slate-200" />
      <div className="mb-8 grid gap-6 lg:grid-cols-3">
        <div className="h-64 rounded-lg bg-slate-200 lg:col-span-2" />
        <div className="h-64 rounded-lg bg-slate-200" />
      </div>
      <div className="mb-8 h-72 rounded-lg bg-slate-200" />
      <div className="space-y-2 rounded-lg bg-white p-4">
        {Array.from({ length: 8 }, (_, index) => (
          <div key={index} className="h-6 rounded bg-slate-100" />
        ))}
      </div>
    </div>
  );
}
