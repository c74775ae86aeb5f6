export function EmptyState({
  title,
  children,
  tone = "neutral",
}: {
  title: string;
  children: React.ReactNode;
  tone?: "neutral" | "error";
}) {
  const isError = tone === "error";
  return (
    <section
      role={isError ? "alert" : undefined}
      aria-labelledby="empty-state-title"
      className={`rounded-lg border border-dashed px-6 py-12 text-center ${
        isError ? "border-red-300 bg-red-50" : "border-slate-300 bg-white"
      }`}
    >
      <h2 id="empty-state-title" className={`text-lg font-semibold ${isError ? "text-red-800" : "text-slate-900"}`}>
        {title}
      </h2>
      <div className={`mx-auto mt-2 max-w-xl space-y-2 text-sm ${isError ? "text-red-800" : "text-slate-600"}`}>
        {children}
      </div>
    </section>
  );
}
