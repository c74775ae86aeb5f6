"use client";

import { useApiRequest } from "@/components/forms/use-api-request";
import { dangerButton, primaryButton, secondaryButton, textInput } from "@/components/ui/buttons";
import { TableHead } from "@/components/ui/TableHead";

export type ApiKeyRow = {
  id: string;
  name: string;
  scopes: string[];
  sources: string[];
  id_prefixes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export function ApiKeysPanel({ keys }: { keys: ApiKeyRow[] }) {
  const {
    isBusy,
    problem,
    result: newKey,
    setResult: setNewKey,
    send,
  } = useApiRequest<{ name: string; key: string }>();

  async function create(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const list = (name: string) =>
      String(form.get(name) ?? "")
        .split(",")
        .map((value) => value.trim())
        .filter(Boolean);
    const body = {
      name: form.get("name"),
      scopes: form.getAll("scopes"),
      sources: list("sources"),
      id_prefixes: list("id_prefixes"),
    };
    if ((await send("POST", "/api/keys", body, { keep: true })).ok) formElement.reset();
  }

  async function revoke(key: ApiKeyRow) {
    if (!window.confirm(`Revoke the API key "${key.name}"? Services using it will be refused.`)) return;
    await send("DELETE", `/api/keys/${encodeURIComponent(key.id)}`);
  }

  return (
    <section aria-labelledby="api-keys-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="api-keys-title" className="text-base font-semibold">
        API keys
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Services send logs with an <em>ingest</em> key; read keys query the API. A key is shown once, when it is
        created.
      </p>

      <form onSubmit={create} className="mt-4 flex flex-wrap items-end gap-4">
        <div className="min-w-48 flex-1">
          <label htmlFor="key-name" className="block text-sm font-medium text-slate-700">
            Key name
          </label>
          <input
            id="key-name"
            name="name"
            required
            maxLength={64}
            placeholder="billing-service"
            className={`mt-1 ${textInput}`}
          />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor="key-sources" className="block text-sm font-medium text-slate-700">
            Only these sources
          </label>
          <input
            id="key-sources"
            name="sources"
            placeholder="billing-api (comma-separated; empty: any)"
            aria-describedby="key-bindings-help"
            className={`mt-1 ${textInput}`}
          />
        </div>
        <div className="min-w-40 flex-1">
          <label htmlFor="key-id-prefixes" className="block text-sm font-medium text-slate-700">
            Reserved log_id prefixes
          </label>
          <input
            id="key-id-prefixes"
            name="id_prefixes"
            placeholder="billing-"
            aria-describedby="key-bindings-help"
            className={`mt-1 ${textInput}`}
          />
        </div>
        <fieldset className="flex gap-4 text-sm">
          <legend className="sr-only">Scopes</legend>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" name="scopes" value="ingest" defaultChecked /> ingest
          </label>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" name="scopes" value="read" /> read
          </label>
        </fieldset>
        <button type="submit" disabled={isBusy} className={primaryButton}>
          Create key
        </button>
      </form>
      <p id="key-bindings-help" className="mt-2 text-xs text-slate-500">
        A key bound to sources may send only those (403 otherwise); bound to one, it fills it in for logs that name
        none. A reserved prefix (ending in - . _ : or @) keeps other keys from storing log_ids that start with it, so no
        key can take another service&apos;s ids first.
      </p>

      {problem && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}
      {newKey && (
        <div role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium text-amber-900">
            Copy the key for “{newKey.name}” now: it will not be shown again.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-api-key" className="break-all rounded bg-white px-2 py-1 font-mono text-xs">
              {newKey.key}
            </code>
            <button
              type="button"
              className={secondaryButton}
              onClick={() => void navigator.clipboard?.writeText(newKey.key)}
            >
              Copy
            </button>
            <button type="button" className={secondaryButton} onClick={() => setNewKey(null)}>
              Done
            </button>
          </div>
        </div>
      )}

      {keys.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">
          No API keys yet. Create one above for each service that sends logs.
        </p>
      ) : (
        <div className="mt-6 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">API keys</caption>
            <TableHead
              columns={["Name", "Scopes", "Sources", "log_id prefixes", "Created", "Last used", "Status", ""]}
            />
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className="border-b border-slate-100">
                  <td className="py-2 pr-4 font-medium">
                    {key.name}
                    <div className="font-mono text-xs text-slate-500">{key.id}</div>
                  </td>
                  <td className="py-2 pr-4">{key.scopes.join(", ")}</td>
                  <td className="py-2 pr-4 break-words">
                    {key.sources.length > 0 ? key.sources.join(", ") : <span className="text-slate-500">any</span>}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">
                    {key.id_prefixes.length > 0 ? (
                      key.id_prefixes.join(", ")
                    ) : (
                      <span className="font-sans text-slate-500">none</span>
                    )}
                  </td>
                  <td className="py-2 pr-4">
                    <time dateTime={key.created_at}>{formatTime(key.created_at)}</time>
                  </td>
                  <td className="py-2 pr-4">
                    {key.last_used_at ? (
                      <time dateTime={key.last_used_at}>{formatTime(key.last_used_at)}</time>
                    ) : (
                      "never"
                    )}
                  </td>
                  <td className="py-2 pr-4">
                    {key.revoked_at ? (
                      <span className="text-red-700">revoked</span>
                    ) : (
                      <span className="text-emerald-700">active</span>
                    )}
                  </td>
                  <td className="py-2 text-right">
                    {!key.revoked_at && (
                      <button
                        type="button"
                        disabled={isBusy}
                        onClick={() => revoke(key)}
                        className={dangerButton}
                        aria-label={`Revoke ${key.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function formatTime(iso: string): string {
  return new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
