import Link from "next/link";
import { NavLink } from "./NavLink";
import { NAV_ITEMS } from "./nav-items";

export function AppHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-sky-600" />
          Ledgerline
        </Link>
        <nav aria-label="Main" className="-mx-2 flex gap-1 overflow-x-auto">
          {NAV_ITEMS.map((item) => (
            <NavLink key={item.href} href={item.href}>
              {item.label}
            </NavLink>
          ))}
        </nav>
      </div>
    </header>
  );
}
