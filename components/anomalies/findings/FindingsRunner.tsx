"use client";

import { useEffect, useRef, useState } from "react";
import { EmptyState } from "@/components/ui/EmptyState";
import { inlineSelect, primaryButton, secondaryButton } from "@/components/ui/buttons";
import type { DetectionEvent } from "@/lib/derived/alerts/detection-events";
import { findingsPageHref } from "@/lib/derived/alerts/findings-href";
import type { FindingsRange } from "@/lib/derived/alerts/page-params";
import type { Wire } from "@/lib/features/openapi/wire";
import { FindingFacts, type FindingView } from "../FindingFacts";
import { FindingGroups } from "../FindingGroups";
import { newestPerType, SHOWN_PER_TYPE } from "./newest-per-type";
import { readNdjson } from "./read-ndjson";

type Finding = FindingView & { log_ids: string[] };
type Progress = { analysed: number; through: string; fraction: number } | null;
type Run =
  | { phase: "idle" }
  | { phase: "running"; range: FindingsRange; startedAt: number; progress: Progress; findings: Finding[] }
  | { phase: "done"; range: FindingsRange; seconds: number; analysed: number; findings: Finding[] }
  | { phase: "failed"; range: FindingsRange; message: string };

const ELAPSED_TICK_MS = 250;

/** The range form, and detection run over the range only when asked, its progress shown as it reads. */
export function FindingsRunner({
  ranges,
  initialRange,
  runNow,
}: {
  ranges: readonly FindingsRange[];
  initialRange: FindingsRange;
  runNow: boolean;
}) {
  const [selected, setSelected] = useState<FindingsRange["value"]>(initialRange.value);
  const [run, setRun] = useState<Run>(() => (runNow ? runningOf(initialRange) : { phase: "idle" }));
  const abort = useRef<AbortController | null>(null);

  /** Reads detection's events into the running state `running`, until it is done or failed. */
  async function follow(running: Extract<Run, { phase: "running" }>) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const { range, startedAt, findings } = running;
    const query = new URLSearchParams({
      from: new Date(startedAt - range.ms).toISOString(),
      to: new Date(startedAt).toISOString(),
    });
    const finished = await readNdjson<Wire<DetectionEvent>>(
      `/api/anomalies/stream?${query}`,
      controller.signal,
      (event) => {
        if (event.event === "finding") findings.push(event.finding);
        else if (event.event === "progress")
          setRun((current) =>
            current.phase === "running" && current.findings === findings ? { ...current, progress: event } : current,
          );
        else if (event.event === "done") {
          setRun({
            phase: "done",
            range,
            seconds: (Date.now() - startedAt) / 1000,
            analysed: event.analysed,
            findings: [...findings].sort(byStart),
          });
          return true;
        } else if (event.event === "failed") {
          setRun({ phase: "failed", range, message: event.message });
          return true;
        }
        return false;
      },
    );
    if (controller.signal.aborted) return;
    if (finished !== true)
      setRun({
        phase: "failed",
        range,
        message: finished === false ? "The connection ended before detection finished. Try again." : finished,
      });
  }

  useEffect(() => {
    // Only the address the page was opened with runs by itself; later runs start from the form.
    const timer = run.phase === "running" ? setTimeout(() => void follow(run)) : undefined;
    return () => {
      clearTimeout(timer);
      abort.current?.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const range = ranges.find((each) => each.value === selected)!;
    // The address names the run, so it can be shared; the history entry is the browser's own (no server render).
    window.history.pushState(null, "", findingsPageHref(range.value, true));
    const running = runningOf(range);
    setRun(running);
    void follow(running);
  }

  function cancel() {
    abort.current?.abort();
    setRun({ phase: "idle" });
  }

  const isRunning = run.phase === "running";
  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Find anomalies">
        <label className="text-sm font-medium text-slate-700">
          Range
          <select
            value={selected}
            onChange={(event) => setSelected(event.target.value as FindingsRange["value"])}
            className={`ml-2 ${inlineSelect}`}
            disabled={isRunning}
          >
            {ranges.map((range) => (
              <option key={range.value} value={range.value}>
                {range.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={primaryButton} disabled={isRunning}>
          Find anomalies
        </button>
        {isRunning && (
          <button type="button" className={secondaryButton} onClick={cancel}>
            Cancel
          </button>
        )}
      </form>
      <div role="status" aria-live="polite" className="sr-only">
        {run.phase === "running" && `Looking for anomalies in the ${run.range.label.toLowerCase()}…`}
        {run.phase === "done" && `Done: ${run.findings.length} ${run.findings.length === 1 ? "finding" : "findings"}.`}
      </div>
      {run.phase === "idle" && (
        <EmptyState title="Nothing has run yet">
          <p>
            Pick a range and choose Find anomalies: every log of the range is read, so a long range takes a while, and
            the progress is shown as it goes.
          </p>
        </EmptyState>
      )}
      {run.phase === "running" && <RunProgress run={run} />}
      {run.phase === "failed" && (
        <EmptyState title="Findings could not be computed" tone="error">
          <p>{run.message}</p>
        </EmptyState>
      )}
      {run.phase === "done" && <Results run={run} />}
    </div>
  );
}

function runningOf(range: FindingsRange): Extract<Run, { phase: "running" }> {
  return { phase: "running", range, startedAt: Date.now(), progress: null, findings: [] };
}

function byStart(a: Finding, b: Finding): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}

function RunProgress({ run }: { run: Extract<Run, { phase: "running" }> }) {
  const [now, setNow] = useState(run.startedAt);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ELAPSED_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((now - run.startedAt) / 1000));
  const { progress } = run;
  return (
    <section
      aria-label="Detection progress"
      aria-busy="true"
      data-testid="findings-progress"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <p className="text-sm font-medium text-slate-900">
        Looking for anomalies in the {run.range.label.toLowerCase()}…
      </p>
      <progress
        className="h-2 w-full"
        max={1}
        {...(progress && { value: progress.fraction })}
        aria-label="Share of the range read"
        aria-valuetext={progress ? `${Math.round(progress.fraction * 100)}%` : "starting"}
      />
      <p className="text-xs text-slate-600 tabular-nums">
        {progress
          ? `${progress.analysed.toLocaleString("en-GB")} logs read, up to ${progress.through.slice(0, 16).replace("T", " ")} UTC (${Math.round(progress.fraction * 100)}% of the range)`
          : "Reading the baseline and the first logs"}
        {` · ${seconds} s elapsed · ${run.findings.length} ${run.findings.length === 1 ? "finding" : "findings"} so far`}
      </p>
    </section>
  );
}

function Results({ run }: { run: Extract<Run, { phase: "done" }> }) {
  const { findings, range } = run;
  if (findings.length === 0) {
    return (
      <EmptyState title={`Nothing unusual in the ${range.label.toLowerCase()}`}>
        <p>
          No rule found a burst of failures, spraying, a login from an unknown network or unusual access in this range (
          {run.analysed.toLocaleString("en-GB")} logs read).
        </p>
        <p>Pick a longer range above to look further back.</p>
      </EmptyState>
    );
  }
  const shown = newestPerType(findings);
  return (
    <section aria-label="Findings" className="space-y-3">
      <p className="text-sm text-slate-700">
        {findings.length} {findings.length === 1 ? "finding" : "findings"} in the {range.label.toLowerCase()}, from{" "}
        {run.analysed.toLocaleString("en-GB")} logs read in {run.seconds.toFixed(1)} s.
        {shown.length < findings.length &&
          ` The newest ${SHOWN_PER_TYPE} of each type are listed; GET /api/anomalies returns them all.`}
      </p>
      <FindingGroups
        items={shown}
        idPrefix="findings"
        render={(finding) => ({
          key: `${finding.type}|${finding.ip ?? ""}|${finding.user ?? ""}|${finding.source ?? ""}|${finding.start}`,
          content: <FindingFacts finding={finding} />,
        })}
      />
    </section>
  );
}
