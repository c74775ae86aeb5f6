"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { secondaryButton } from "@/components/ui/buttons";

export function SignOutButton() {
  const router = useRouter();
  const [isPending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    await fetch("/api/auth/logout", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => {});
    router.replace("/login");
    router.refresh();
  }
  return (
    <button type="button" onClick={signOut} disabled={isPending} className={secondaryButton}>
      {isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
