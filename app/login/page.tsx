import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/LoginForm";
import { ENROLMENT_PAGE, getCurrentUser, safeNextPath } from "@/lib/records/auth/page-auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const destination = safeNextPath(typeof next === "string" ? next : undefined);
  const user = await getCurrentUser();
  if (user && user !== "unavailable") redirect(destination as never);

  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2 text-2xl font-semibold tracking-tight">
          <span aria-hidden="true" className="inline-block h-4 w-4 rounded-sm bg-sky-600" />
          Ledgerline
        </div>
        <section className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="text-lg font-semibold">Sign in</h1>
          <p className="mt-1 text-sm text-slate-600">Security logs are readable only by signed-in users.</p>
          {user === "unavailable" && (
            <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              The database is not reachable right now, so nobody can sign in. Try again shortly.
            </p>
          )}
          <LoginForm next={destination} enrolmentPage={ENROLMENT_PAGE} />
        </section>
      </div>
    </main>
  );
}
