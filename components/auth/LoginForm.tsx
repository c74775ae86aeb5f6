"use client";

import { useState } from "react";

type Problem = { message: string };

type LoginAnswer = { totp_enrolment_required?: boolean; error?: { code?: string; message?: string } } | null;

export function LoginForm({ next, enrolmentPage }: { next: string; enrolmentPage: string }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [isPending, setPending] = useState(false);
  const [needsCode, setNeedsCode] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setProblem(null);
    try {
      const response = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: form.get("email"),
          password: form.get("password"),
          ...(needsCode && { code: form.get("code") }),
        }),
      });
      const body = (await response.json().catch(() => null)) as LoginAnswer;
      if (response.ok) {
        window.location.assign(body?.totp_enrolment_required ? enrolmentPage : next);
        return;
      }
      if (body?.error?.code === "second_factor_required") {
        setNeedsCode(true);
        setPending(false);
        return;
      }
      setProblem({ message: body?.error?.message ?? "Signing in failed. Try again." });
    } catch {
      setProblem({ message: "Ledgerline could not be reached. Check your connection and try again." });
    }
    setPending(false);
  }

  return (
    <form onSubmit={submit} className="mt-6 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600"
        />
      </div>
      {needsCode && (
        <div>
          <label htmlFor="code" className="block text-sm font-medium text-slate-700">
            Authentication code
          </label>
          <p id="code-hint" className="mt-1 text-sm text-slate-600">
            Two-factor sign-in is on for this account: enter the 6-digit code from your authenticator app, or one of
            your recovery codes.
          </p>
          <input
            id="code"
            name="code"
            type="text"
            autoComplete="one-time-code"
            autoFocus
            required
            aria-describedby="code-hint"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm tracking-widest shadow-sm focus:border-sky-600"
          />
        </div>
      )}
      {problem && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem.message}
        </p>
      )}
      <button
        type="submit"
        disabled={isPending}
        className="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
      >
        {isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
