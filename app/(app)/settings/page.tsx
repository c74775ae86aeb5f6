import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/settings/ApiKeysPanel";
import { ImportPanel } from "@/components/settings/ImportPanel";
import { TwoFactorPanel } from "@/components/settings/TwoFactorPanel";
import { UsersPanel } from "@/components/settings/UsersPanel";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { listApiKeys } from "@/lib/records/auth/api-keys";
import { mustEnrolTotp, requireUser } from "@/lib/records/auth/page-auth";
import { getTotpStatus } from "@/lib/records/auth/totp";
import { isTotpAvailable } from "@/lib/records/auth/totp-crypto";
import { listUsers } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  const db = await getDb();
  const [totp, isRequired] = await Promise.all([getTotpStatus(db, user.id), mustEnrolTotp(user)]);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  const twoFactor = (
    <TwoFactorPanel
      status={{ ...totp, enabled_at: iso(totp.enabled_at) }}
      isAvailable={isTotpAvailable()}
      isRequired={isRequired}
    />
  );
  if (user.role !== "admin" || isRequired) {
    return (
      <>
        <PageHeader title="Settings" description="Two-factor sign-in for your account." />
        <div className="space-y-8">
          {twoFactor}
          {user.role !== "admin" && (
            <EmptyState title="Administrators only">
              <p>Only administrators can manage API keys and users. Ask an administrator if you need a key.</p>
            </EmptyState>
          )}
        </div>
      </>
    );
  }
  const [keys, users] = await Promise.all([listApiKeys(db), listUsers(db)]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="Two-factor sign-in for your account, API keys for the services that send logs, the people who can read them, and imports of existing logs."
      />
      <div className="space-y-8">
        {twoFactor}
        <ApiKeysPanel
          keys={keys.map((key) => ({
            ...key,
            created_at: key.created_at.toISOString(),
            last_used_at: iso(key.last_used_at),
            revoked_at: iso(key.revoked_at),
          }))}
        />
        <UsersPanel
          currentUserId={user.id}
          users={users.map((u) => ({
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            created_at: u.created_at.toISOString(),
            disabled_at: iso(u.disabled_at),
          }))}
        />
        <ImportPanel />
      </div>
    </>
  );
}
