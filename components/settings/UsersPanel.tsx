"use client";

import { useApiRequest } from "@/components/forms/use-api-request";
import { dangerButton, primaryButton, textInput } from "@/components/ui/buttons";
import { TableHead } from "@/components/ui/TableHead";
import { describeRoles } from "@/lib/records/auth/roles";
import { USER_ROLES } from "@/lib/records/auth/user-schemas";

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
};

export function UsersPanel({ users, currentUserId }: { users: UserRow[]; currentUserId: string }) {
  const { isBusy, problem, result: created, send } = useApiRequest<{ email: string }>();

  async function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get("name") ?? "").trim();
    const body = {
      email: form.get("email"),
      role: form.get("role"),
      password: form.get("password"),
      ...(name && { name }),
    };
    if ((await send("POST", "/api/users", body, { keep: true })).ok) formElement.reset();
  }

  async function disable(user: UserRow) {
    if (!window.confirm(`Disable ${user.email}? They are signed out at once and cannot sign in again.`)) return;
    await send("POST", `/api/users/${encodeURIComponent(user.id)}/disable`, {});
  }

  return (
    <section aria-labelledby="users-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="users-title" className="text-base font-semibold">
        Users
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {describeRoles()} Passwords are reset with{" "}
        <code className="font-mono">npm run user -- reset-password EMAIL</code>.
      </p>

      <form onSubmit={create} className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <div>
          <label htmlFor="user-email" className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <input id="user-email" name="email" type="email" required className={`mt-1 ${textInput}`} />
        </div>
        <div>
          <label htmlFor="user-name" className="block text-sm font-medium text-slate-700">
            Name <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input id="user-name" name="name" maxLength={100} className={`mt-1 ${textInput}`} />
        </div>
        <div>
          <label htmlFor="user-role" className="block text-sm font-medium text-slate-700">
            Role
          </label>
          <select id="user-role" name="role" defaultValue="viewer" className={`mt-1 ${textInput}`}>
            {USER_ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="user-password" className="block text-sm font-medium text-slate-700">
            Password
          </label>
          <input
            id="user-password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={12}
            required
            className={`mt-1 ${textInput}`}
          />
        </div>
        <button type="submit" disabled={isBusy} className={primaryButton}>
          Add user
        </button>
      </form>

      {problem && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}
      {created && (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {`Created ${created.email}. Give them their password through a safe channel.`}
        </p>
      )}

      <div className="mt-6 overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users</caption>
          <TableHead columns={["Email", "Name", "Role", "Status", ""]} />
          <tbody>
            {users.map((user) => (
              <tr key={user.id} className="border-b border-slate-100">
                <td className="py-2 pr-4 font-medium">{user.email}</td>
                <td className="py-2 pr-4">{user.name}</td>
                <td className="py-2 pr-4">{user.role}</td>
                <td className="py-2 pr-4">
                  {user.disabled_at ? (
                    <span className="text-red-700">disabled</span>
                  ) : (
                    <span className="text-emerald-700">active</span>
                  )}
                </td>
                <td className="py-2 text-right">
                  {!user.disabled_at && user.id !== currentUserId && (
                    <button
                      type="button"
                      disabled={isBusy}
                      onClick={() => disable(user)}
                      className={dangerButton}
                      aria-label={`Disable ${user.email}`}
                    >
                      Disable
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
