"use client";

import Link from "next/link";
import { useId } from "react";
import { FINDING_TYPE_LABELS } from "@/components/anomalies/labels";
import { useApiRequest } from "@/components/forms/use-api-request";
import { primaryButton, textInput } from "@/components/ui/buttons";
import { FINDING_TYPES, type FindingType } from "@/lib/records/anomaly/finding";
import { MAX_NOTE_LENGTH } from "@/lib/derived/alerts/transitions";

/** What the form starts from: an alert's type and subject, or nothing for a blank rule. */
export type MuteFindingsDefaults = { type?: FindingType; ip?: string; user?: string; source?: string };

const EXPIRY_PRESETS = [
  { days: 1, label: "1 day" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: null, label: "Never" },
] as const;
const DEFAULT_DAYS = 7;

/**
 * Creates a suppression rule: new findings of the type and subject are then
 * stored suppressed (not open, not sent to the webhook). On an alert's page it
 * starts from the alert; on the rules page it starts blank.
 */
export function MuteFindingsForm({
  defaults = {},
  title = "Mute similar findings",
}: {
  defaults?: MuteFindingsDefaults;
  title?: string;
}) {
  const id = useId();
  const { isBusy, problem, result: created, setResult: setCreated, send } = useApiRequest<{ rule: { id: string } }>();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim() || null;
    const days = String(form.get("expires_in_days") ?? "");
    const rule = {
      type: text("type"),
      ip: text("ip"),
      user: text("user"),
      source: text("source"),
      reason: String(form.get("reason") ?? ""),
      expires_in_days: days === "" ? null : Number(days),
    };
    const outcome = await send("POST", "/api/suppressions", rule, { keep: true });
    if (outcome.ok) formElement.reset();
    else setCreated(null);
  }

  return (
    <form
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
      className="@container space-y-4"
      data-testid="mute-findings-form"
    >
      <h2 id={`${id}-title`} className="text-base font-semibold">
        {title}
      </h2>
      <p className="text-sm text-slate-600">
        From the next checkpoint on, a new finding of this type and subject is stored as a suppressed alert: not counted
        as open, not sent to the webhook. Alerts already raised keep their status.
      </p>
      <div className="grid gap-4 @md:grid-cols-2 @4xl:grid-cols-4">
        <div>
          <label htmlFor={`${id}-type`} className="block text-sm font-medium text-slate-700">
            Finding type
          </label>
          <select id={`${id}-type`} name="type" defaultValue={defaults.type ?? ""} className={`mt-1 ${textInput}`}>
            <option value="">Any type</option>
            {FINDING_TYPES.map((type) => (
              <option key={type} value={type}>
                {FINDING_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-ip`} className="block text-sm font-medium text-slate-700">
            IP address or CIDR range
          </label>
          <input
            id={`${id}-ip`}
            name="ip"
            defaultValue={defaults.ip ?? ""}
            placeholder="203.0.113.0/24"
            maxLength={64}
            className={`mt-1 ${textInput}`}
          />
        </div>
        <div>
          <label htmlFor={`${id}-user`} className="block text-sm font-medium text-slate-700">
            User
          </label>
          <input
            id={`${id}-user`}
            name="user"
            defaultValue={defaults.user ?? ""}
            placeholder="svc-backup"
            maxLength={256}
            className={`mt-1 ${textInput}`}
          />
        </div>
        <div>
          <label htmlFor={`${id}-source`} className="block text-sm font-medium text-slate-700">
            Source (silent sources only)
          </label>
          <input
            id={`${id}-source`}
            name="source"
            defaultValue={defaults.source ?? ""}
            placeholder="nightly-batch"
            maxLength={256}
            className={`mt-1 ${textInput}`}
          />
        </div>
      </div>
      <p className="text-xs text-slate-500">
        A finding is muted when it matches every part given: its address in the range, its user, or (for silent sources)
        its source.
      </p>
      <div>
        <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-700">
          Reason
        </label>
        <input
          id={`${id}-reason`}
          name="reason"
          required
          maxLength={MAX_NOTE_LENGTH}
          placeholder="Why these findings are expected"
          className={`mt-1 ${textInput}`}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Mute for</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {EXPIRY_PRESETS.map((preset) => (
            <label key={preset.label} className="flex items-center gap-1.5">
              <input
                type="radio"
                name="expires_in_days"
                value={preset.days ?? ""}
                defaultChecked={preset.days === DEFAULT_DAYS}
              />
              {preset.label}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={isBusy} className={primaryButton}>
        Mute findings
      </button>
      {problem && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}
      {created && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Rule created: matching findings are muted from the next checkpoint on.{" "}
          <Link className="underline" href="/anomalies/suppressions">
            See every rule
          </Link>
          .
        </p>
      )}
    </form>
  );
}
