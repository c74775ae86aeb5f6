"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { secondaryButton } from "@/components/ui/buttons";
import { useHydrated } from "@/components/ui/use-hydrated";

export function SignOutButton() {
  const router = useRouter();
  const [isPending, setPending] = useState(false);
  // Disabled until hydrated: a click before then would do nothing (seen on a busy machine).
  const isHydrated = useHydrated();
  async function signOut() {
    setPending(true);
    await fetch("/api/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }).catch(() => {});
    router.replace("/login");
    router.refresh();
  }
  return (
    <button type="button" onClick={signOut} disabled={!isHydrated || isPending} className={secondaryButton}>
      {isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
