import type { Route } from "next";
import Link from "next/link";
import type { UserSummary } from "@/lib/records/auth/users";
import { NavLink } from "./NavLink";
import { NAV_ITEMS } from "./nav-items";
import { SignOutButton } from "./SignOutButton";

/** `badges`: what to show beside a section's name, by its address (the open alerts beside Anomalies). */
export function AppHeader({
  user,
  badges = {},
}: {
  user: UserSummary | null;
  badges?: Partial<Record<Route, React.ReactNode>>;
}) {
  // Everyone has Settings, for their own two-factor sign-in; keys and users there are for administrators.
  const items = user ? [...NAV_ITEMS, { href: "/settings" as const, label: "Settings" }] : NAV_ITEMS;
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex w-full max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/logs" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
          <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm bg-sky-600" />
          Ledgerline
        </Link>
        <nav aria-label="Main" className="-mx-2 flex gap-1 overflow-x-auto">
          {items.map((item) => (
            <NavLink key={item.href} href={item.href}>
              {item.label}
              {badges[item.href]}
            </NavLink>
          ))}
        </nav>
        {user && (
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-slate-600">
              <span className="font-medium text-slate-900">{user.name}</span>{" "}
              <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase tracking-wide text-slate-600">
                {user.role}
              </span>
            </span>
            <SignOutButton />
          </div>
        )}
      </div>
    </header>
  );
}
