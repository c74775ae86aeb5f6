"use client";

import { useState } from "react";
import { useApiRequest } from "@/components/forms/use-api-request";
import { dangerButton, primaryButton, secondaryButton, textInput } from "@/components/ui/buttons";

export type TwoFactorStatus = { enabled: boolean; enabled_at: string | null; recovery_codes_left: number };

type Enrolment = { secret: string; otpauth_uri: string; qr_code: string };

/** Two-factor sign-in of the signed-in user: set-up with a QR code, recovery codes shown once, turning off. */
export function TwoFactorPanel({
  status,
  isAvailable,
  isRequired,
}: {
  status: TwoFactorStatus;
  isAvailable: boolean;
  isRequired: boolean;
}) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const { isBusy, problem, result: issued, setResult: setIssued, send } = useApiRequest<{ recovery_codes: string[] }>();
  const recoveryCodes = issued?.recovery_codes;

  async function start() {
    const started = await send("POST", "/api/auth/totp", {}, { refresh: false });
    if (started.ok) setEnrolment(started.data as Enrolment);
  }

  async function confirm(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = new FormData(event.currentTarget).get("code");
    if ((await send("POST", "/api/auth/totp/confirm", { code }, { keep: true })).ok) setEnrolment(null);
  }

  async function change(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const form = new FormData(event.currentTarget);
    const code = String(form.get("code") ?? "").trim();
    const proof = code ? { code } : { password: form.get("password") };
    if (submitter?.value === "disable") {
      if (window.confirm("Turn off two-factor sign-in? Your password alone will sign you in."))
        await send("POST", "/api/auth/totp/disable", proof);
      return;
    }
    await send("POST", "/api/auth/totp/recovery-codes", proof, { keep: true });
  }

  return (
    <section aria-labelledby="two-factor-title" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="two-factor-title" className="text-base font-semibold">
        Two-factor sign-in
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        With it on, signing in asks for a code from an authenticator app on your phone (any app for TOTP codes) after
        your password.
      </p>
      {isRequired && (
        <p role="alert" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Administrators must use two-factor sign-in here. Set it up below; until then nothing else is open to your
          account.
        </p>
      )}
      {problem && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      )}

      {recoveryCodes && (
        <div role="status" className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium text-amber-900">
            Save these recovery codes now: they will not be shown again. Each signs you in once if you lose your phone.
          </p>
          <ul data-testid="recovery-codes" className="mt-2 grid grid-cols-2 gap-1 font-mono text-xs sm:grid-cols-5">
            {recoveryCodes.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              className={secondaryButton}
              onClick={() => void navigator.clipboard?.writeText(recoveryCodes.join("\n"))}
            >
              Copy
            </button>
            <button type="button" className={secondaryButton} onClick={() => setIssued(null)}>
              I have saved them
            </button>
          </div>
        </div>
      )}

      {!isAvailable ? (
        <p className="mt-4 text-sm text-slate-600">
          Not available: the administrator of this Ledgerline has not set LEDGERLINE_TOTP_KEY.
        </p>
      ) : status.enabled ? (
        <>
          <p className="mt-4 text-sm">
            <span className="font-medium text-emerald-700">On</span>
            {status.enabled_at && (
              <>
                {" "}
                since <time dateTime={status.enabled_at}>{status.enabled_at.slice(0, 10)}</time>
              </>
            )}
            . {status.recovery_codes_left} of 10 recovery codes left.
          </p>
          <form onSubmit={change} className="mt-4 flex flex-wrap items-end gap-4">
            <div>
              <label htmlFor="totp-change-code" className="block text-sm font-medium text-slate-700">
                Current code
              </label>
              <input
                id="totp-change-code"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                className={`mt-1 ${textInput}`}
              />
            </div>
            <div>
              <label htmlFor="totp-change-password" className="block text-sm font-medium text-slate-700">
                or your password
              </label>
              <input
                id="totp-change-password"
                name="password"
                type="password"
                autoComplete="current-password"
                className={`mt-1 ${textInput}`}
              />
            </div>
            <button type="submit" value="recovery-codes" disabled={isBusy} className={secondaryButton}>
              New recovery codes
            </button>
            {!isRequired && (
              <button type="submit" value="disable" disabled={isBusy} className={dangerButton}>
                Turn off
              </button>
            )}
          </form>
        </>
      ) : enrolment ? (
        <div className="mt-4 grid gap-6 sm:grid-cols-[auto_1fr]">
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server; nothing to optimise */}
          <img
            src={enrolment.qr_code}
            alt="QR code to scan with your authenticator app"
            width={200}
            height={200}
            className="rounded border border-slate-200"
          />
          <div className="space-y-3 text-sm">
            <p>Scan the QR code with your authenticator app, or type in this secret:</p>
            <code data-testid="totp-secret" className="block break-all rounded bg-slate-100 px-2 py-1 font-mono">
              {enrolment.secret.match(/.{1,4}/g)!.join(" ")}
            </code>
            <form onSubmit={confirm} className="flex flex-wrap items-end gap-3">
              <div>
                <label htmlFor="totp-confirm-code" className="block text-sm font-medium text-slate-700">
                  Code from the app
                </label>
                <input
                  id="totp-confirm-code"
                  name="code"
                  required
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={7}
                  className={`mt-1 ${textInput}`}
                />
              </div>
              <button type="submit" disabled={isBusy} className={primaryButton}>
                Turn on
              </button>
            </form>
          </div>
        </div>
      ) : (
        <div className="mt-4 flex items-center gap-3">
          <p className="text-sm text-slate-600">Off.</p>
          <button type="button" onClick={start} disabled={isBusy} className={primaryButton}>
            Set up two-factor sign-in
          </button>
        </div>
      )}
    </section>
  );
}
