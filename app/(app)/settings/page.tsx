import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/settings/ApiKeysPanel";
import { ImportPanel } from "@/components/settings/ImportPanel";
import { UsersPanel } from "@/components/settings/UsersPanel";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { listApiKeys } from "@/lib/auth/api-keys";
import { auditPageRefusal, requireUser } from "@/lib/auth/page-auth";
import { listUsers } from "@/lib/auth/users";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  if (user === "unavailable") return null; // the layout shows the outage
  if (user.role !== "admin") {
    await auditPageRefusal(user, 403, "only administrators may see the settings");
    return (
      <EmptyState title="Administrators only" tone="error">
        <p>Only administrators can manage API keys and users. Ask an administrator if you need a key.</p>
      </EmptyState>
    );
  }
  const db = await getDb();
  const [keys, users] = await Promise.all([listApiKeys(db), listUsers(db)]);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return (
    <>
      <PageHeader title="Settings" description="API keys for the services that send logs, the people who can read them, and imports of existing logs." />
      <div className="space-y-8">
        <ApiKeysPanel
          keys={keys.map((key) => ({ ...key, created_at: key.created_at.toISOString(), last_used_at: iso(key.last_used_at), revoked_at: iso(key.revoked_at) }))}
        />
        <UsersPanel
          currentUserId={user.id}
          users={users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, created_at: u.created_at.toISOString(), disabled_at: iso(u.disabled_at) }))}
        />
        <ImportPanel />
      </div>
    </>
  );
}
