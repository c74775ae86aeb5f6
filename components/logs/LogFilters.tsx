"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { inlineSelect, primaryButton, secondaryButton, textInput } from "@/components/ui/buttons";
import { useHydrated } from "@/components/ui/use-hydrated";
import { EXCLUDE_PREFIX, META_PREFIX } from "@/lib/records/logs/filter-names";
import { FIELD_LABELS } from "./list-filter-labels";
import { DEFAULT_RANGE, RANGE_PRESETS } from "./range-presets";

const PRESETS = [...RANGE_PRESETS, { value: "custom", label: "Custom range" }] as const;
const PAGE_SIZES = ["25", "50", "100", "200"];
const TEXT_FIELDS = [
  { name: "ip", label: "IP or CIDR", placeholder: "10.0.3.0/24" },
  { name: "user", label: "User", placeholder: "exact user name" },
  { name: "action", label: "Action", placeholder: "login_attempt" },
  { name: "source", label: "Source", placeholder: "exact source" },
  { name: "ingested_by", label: "Ingested by", placeholder: "key:<id>, ledgerline, cli:import" },
] as const;

type Values = Record<string, string>;

/**
 * The filter form. It writes the filters into the URL (shareable, back button
 * works) and the server page does the rest; a custom range is read in the
 * viewer's time zone and sent as absolute UTC times. The repeatable filters
 * already in the URL (`lists`, shown as removable by ActiveFilters) stay: a
 * value typed into user, ip, action, source, ingested by or metadata adds one more, to
 * match ("is") or to exclude ("is not"); the status choice replaces the
 * statuses asked for.
 */
export function LogFilters({ values, lists }: { values: Values; lists: [string, string][] }) {
  const router = useRouter();
  // datetime-local inputs show local time, which the server cannot render.
  const mounted = useHydrated();
  const initialPreset = values.from || values.to ? "custom" : values.range || DEFAULT_RANGE;
  const [preset, setPreset] = useState(PRESETS.some((p) => p.value === initialPreset) ? initialPreset : "custom");
  // On a phone the form starts folded away, so the logs are what shows first.
  const [shownOnPhone, setShownOnPhone] = useState(false);
  const active = lists.length + (values.q ? 1 : 0);
  const statuses = lists.filter(([name]) => name === "status").map(([, value]) => value);

  function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const params = new URLSearchParams();
    const field = (name: string) => String(data.get(name) ?? "").trim();
    if (preset === "custom") {
      for (const name of ["from", "to"]) {
        const local = field(name);
        // An unparseable value is passed on as typed, so the page can say what is wrong with it.
        if (local) params.set(name, Number.isNaN(new Date(local).getTime()) ? local : new Date(local).toISOString());
      }
    } else params.set("range", preset);
    const add = (name: string, value: string) => {
      if (!params.getAll(name).includes(value)) params.append(name, value);
    };
    for (const [name, value] of lists) if (name !== "status") add(name, value);
    if (field("status")) add("status", field("status"));
    const prefix = (name: string) => (field(`${name}_mode`) === "exclude" ? EXCLUDE_PREFIX : "");
    for (const { name } of TEXT_FIELDS) if (field(name)) add(`${prefix(name)}${name}`, field(name));
    // A value without a key goes to the server, which names what is missing.
    if (field("meta_value")) add(`${prefix("meta")}${META_PREFIX}${field("meta_key")}`, field("meta_value"));
    for (const name of ["q", "limit", "sort", "tz"]) {
      const value = field(name);
      if (value) params.set(name, value);
    }
    if (params.get("limit") === "50") params.delete("limit");
    if (params.get("sort") === "desc") params.delete("sort");
    router.push(`/logs?${params}`);
  }

  return (
    <>
      <button
        type="button"
        className={`${secondaryButton} sm:hidden`}
        aria-expanded={shownOnPhone}
        aria-controls="log-filters"
        onClick={() => setShownOnPhone(!shownOnPhone)}
      >
        {shownOnPhone ? "Hide filters" : `Filters${active > 0 ? ` (${active} active)` : ""}`}
      </button>
      <form
        id="log-filters"
        role="search"
        aria-label="Filter logs"
        className={`${shownOnPhone ? "grid" : "hidden"} gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid sm:grid-cols-2 lg:grid-cols-4`}
        onSubmit={(event) => {
          event.preventDefault();
          submit(event.currentTarget);
        }}
      >
        <Labelled label="Time range" htmlFor="filter-range">
          <select
            id="filter-range"
            className={textInput}
            value={preset}
            onChange={(event) => setPreset(event.target.value)}
          >
            {PRESETS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </Labelled>
        {preset === "custom" && (
          <>
            <Labelled label="From (your time)" htmlFor="filter-from">
              <input
                id="filter-from"
                name="from"
                type="datetime-local"
                step="1"
                className={textInput}
                defaultValue={mounted ? toLocalInput(values.from) : undefined}
                key={String(mounted)}
              />
            </Labelled>
            <Labelled label="To (your time)" htmlFor="filter-to">
              <input
                id="filter-to"
                name="to"
                type="datetime-local"
                step="1"
                className={textInput}
                defaultValue={mounted ? toLocalInput(values.to) : undefined}
                key={String(mounted)}
              />
            </Labelled>
          </>
        )}
        <Labelled label="Status" htmlFor="filter-status">
          <select
            id="filter-status"
            name="status"
            className={textInput}
            defaultValue={statuses.length === 1 ? statuses[0] : ""}
          >
            <option value="">Any status</option>
            <option value="success">Success</option>
            <option value="failed">Failed</option>
          </select>
        </Labelled>
        {TEXT_FIELDS.map(({ name, label, placeholder }) => (
          <Labelled key={name} label={label} htmlFor={`filter-${name}`}>
            <div className="flex gap-1">
              <ModeSelect name={name} subject={FIELD_LABELS[name]} />
              <input
                id={`filter-${name}`}
                name={name}
                className={`${textInput} min-w-0`}
                placeholder={placeholder}
                autoComplete="off"
              />
            </div>
          </Labelled>
        ))}
        <Labelled label="Metadata key" htmlFor="filter-meta-key">
          <input
            id="filter-meta-key"
            name="meta_key"
            className={textInput}
            placeholder="event.outcome"
            autoComplete="off"
          />
        </Labelled>
        <Labelled label="Metadata value" htmlFor="filter-meta-value">
          <div className="flex gap-1">
            <ModeSelect name="meta" subject="Metadata" />
            <input
              id="filter-meta-value"
              name="meta_value"
              className={`${textInput} min-w-0`}
              placeholder="exact value"
              autoComplete="off"
            />
          </div>
        </Labelled>
        <Labelled label="Search message, user and action" htmlFor="filter-q">
          <input
            id="filter-q"
            name="q"
            type="search"
            className={textInput}
            placeholder="text to find"
            defaultValue={values.q ?? ""}
          />
        </Labelled>
        <Labelled label="Rows per page" htmlFor="filter-limit">
          <select
            id="filter-limit"
            name="limit"
            className={textInput}
            defaultValue={PAGE_SIZES.includes(values.limit ?? "") ? values.limit : "50"}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        </Labelled>
        <input type="hidden" name="sort" value={values.sort ?? "desc"} />
        {values.tz && <input type="hidden" name="tz" value={values.tz} />}
        <div className="flex items-end gap-2">
          <button type="submit" className={primaryButton}>
            Apply filters
          </button>
          <button type="button" className={secondaryButton} onClick={() => router.push("/logs")}>
            Clear
          </button>
        </div>
      </form>
    </>
  );
}

/** Whether a typed value is to match or to be excluded. */
function ModeSelect({ name, subject }: { name: string; subject: string }) {
  return (
    <select
      name={`${name}_mode`}
      aria-label={`${subject}: is or is not`}
      className={inlineSelect}
      defaultValue="include"
    >
      <option value="include">is</option>
      <option value="exclude">is not</option>
    </select>
  );
}

function Labelled({ label, htmlFor, children }: { label: string; htmlFor: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  );
}

// 2026-11-26T08:00:00Z → "2026-11-26T09:00:00" in Paris: what a datetime-local input shows.
function toLocalInput(iso: string | undefined): string | undefined {
  const date = iso ? new Date(iso) : undefined;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}
