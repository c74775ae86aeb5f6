/** The dashboard's shape while its numbers are read: controls, six cards, the charts. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-6">
      <span className="sr-only">Loading the dashboard…</span>
      <div>
        <div className="mb-2 h-7 w-48 rounded bg-slate-200" />
        <div className="h-4 w-96 max-w-full rounded bg-slate-200" />
      </div>
      <div className="h-20 rounded-lg bg-slate-200" />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} className="h-24 rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="h-80 rounded-lg bg-slate-200 lg:col-span-2" />
        <div className="h-80 rounded-lg bg-slate-200" />
      </div>
      <div className="h-80 rounded-lg bg-slate-200" />
      <div className="grid gap-6 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="h-96 rounded-lg bg-slate-200" />
        ))}
      </div>
    </div>
  );
}
