/** A table's header row; a column named "" is an unlabelled actions column, announced as "Actions". */
export function TableHead({ columns }: { columns: string[] }) {
  return (
    <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
      <tr>
        {columns.map((column, index) => (
          <th key={index} scope="col" className={index < columns.length - 1 ? "py-2 pr-4" : "py-2"}>
            {column || <span className="sr-only">Actions</span>}
          </th>
        ))}
      </tr>
    </thead>
  );
}
