// Shared button looks, so every page's actions read the same.
export const primaryButton =
  "rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50";
export const secondaryButton =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50";
export const dangerButton =
  "rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50";
export const textInput =
  "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-600";
export const inlineSelect = "rounded-md border border-slate-300 px-2 py-2 text-sm shadow-sm focus:border-sky-600";
