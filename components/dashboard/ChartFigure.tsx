/** One chart with its title and a table of the same numbers for screen readers and anyone who prefers text. */
export function ChartFigure({
  id,
  title,
  description,
  table,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  table: { caption: string; columns: string[]; rows: React.ReactNode[][] };
  children: React.ReactNode;
}) {
  return (
    <figure
      aria-labelledby={`${id}-title`}
      data-chart={id}
      className="flex min-w-0 flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5"
    >
      <figcaption>
        <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {description && <p className="mt-0.5 text-xs text-slate-600">{description}</p>}
      </figcaption>
      <div className="mt-3 flex-1">{children}</div>
      <details className="mt-3 text-sm text-slate-700">
        <summary className="cursor-pointer text-xs font-medium text-slate-600 hover:text-slate-900">
          Show as a table
        </summary>
        <div className="mt-2 max-h-80 overflow-auto">
          <table className="w-full text-left text-xs tabular-nums">
            <caption className="sr-only">{table.caption}</caption>
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                {table.columns.map((column) => (
                  <th key={column} scope="col" className="py-1 pr-3 font-medium">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, index) => (
                <tr key={index} className="border-b border-slate-100 last:border-0">
                  {row.map((cell, column) =>
                    column === 0 ? (
                      <th key={column} scope="row" className="py-1 pr-3 font-normal">
                        {cell}
                      </th>
                    ) : (
                      <td key={column} className="py-1 pr-3">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
