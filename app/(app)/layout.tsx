import { Suspense } from "react";
import { OpenAlertsBadge } from "@/components/anomalies/OpenAlertsBadge";
import { AppHeader } from "@/components/layout/AppHeader";
import { DatabaseUnavailable } from "@/components/logs/DatabaseUnavailable";
import { requireUser } from "@/lib/records/auth/page-auth";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <AppHeader
        user={user === "unavailable" ? null : user}
        badges={
          user === "unavailable"
            ? {}
            : {
                "/anomalies": (
                  <Suspense fallback={null}>
                    <OpenAlertsBadge />
                  </Suspense>
                ),
              }
        }
      />
      <main id="main" className="mx-auto w-full max-w-7xl px-4 py-8 sm:px-6">
        {user === "unavailable" ? <DatabaseUnavailable /> : children}
      </main>
    </>
  );
}
