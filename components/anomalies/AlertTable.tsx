"use client";

import { Fragment, useState } from "react";
import type { AlertRow } from "@/lib/derived/alerts/alert-rows";
import type { AlertGroup } from "@/lib/derived/alerts/list-rows";
import { AlertCells, SeverityBadge } from "./alert-cells";
import { BulkActions, type BulkFilter } from "./BulkActions";
import { FINDING_TYPE_LABELS } from "./labels";
import { SortHeader, type SortLinks } from "./SortHeader";
import { LocalTime } from "@/components/logs/LocalTime";

type Props = {
  rows: AlertRow[];
  /** When the list is grouped by subject: its groups, in order. */
  groups?: AlertGroup[];
  /** Alerts matching the filter, on every page. */
  total: number;
  filter: BulkFilter;
  canChange: boolean;
  now: number;
  sort: SortLinks;
};

const cell = "py-2 pr-4 align-top";

/** The alerts as a table (or one row per subject, expandable), with checkboxes and bulk changes for those who may change alerts. */
export function AlertTable({ rows, groups, total, filter, canChange, now, sort }: Props) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [isAllMatching, setAllMatching] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const pageIds = rows.map((row) => row.id);
  const isPageSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));

  const toggle = (ids: string[], on: boolean) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids)
        if (on) next.add(id);
        else next.delete(id);
      return next;
    });
  };
  const clear = () => {
    setSelected(new Set());
    setAllMatching(false);
  };

  const checkbox = (ids: string[], label: string) => (
    <td className="py-2 pr-3 align-top">
      <input
        type="checkbox"
        aria-label={label}
        checked={isAllMatching || (ids.length > 0 && ids.every((id) => selected.has(id)))}
        onChange={(event) => toggle(ids, event.target.checked)}
      />
    </td>
  );

  return (
    <div className="space-y-3">
      {canChange && (
        <>
          <BulkActions target={isAllMatching ? { filter, total } : { ids: [...selected] }} onDone={clear} />
          {isPageSelected && !isAllMatching && total > pageIds.length && (
            <p className="text-sm">
              All {pageIds.length} alerts on this page are selected.{" "}
              <button type="button" className="font-medium underline" onClick={() => setAllMatching(true)}>
                Select all {total} alerts matching this filter
              </button>
            </p>
          )}
          {isAllMatching && (
            <p className="text-sm">
              All {total} alerts matching this filter are selected.{" "}
              <button type="button" className="font-medium underline" onClick={clear}>
                Clear the selection
              </button>
            </p>
          )}
        </>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white px-3">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Alerts, {total} matching; column headers sort the list</caption>
          <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500">
            <tr>
              {canChange && (
                <th scope="col" className="py-2 pr-3">
                  <input
                    type="checkbox"
                    aria-label="Select every alert on this page"
                    checked={isAllMatching || isPageSelected}
                    onChange={(event) => toggle(pageIds, event.target.checked)}
                  />
                </th>
              )}
              <SortHeader label="Severity" sort="severity" links={sort} />
              <th scope="col" className="py-2 pr-4 uppercase">
                Type
              </th>
              <th scope="col" className="py-2 pr-4 uppercase">
                Subject
              </th>
              <SortHeader label="First event" sort="first_event" links={sort} />
              <SortHeader label="Last event" sort="last_event" links={sort} />
              <SortHeader label="Count" sort="count" links={sort} />
              <th scope="col" className="py-2 pr-4 uppercase">
                Status
              </th>
              <th scope="col" className="py-2 pr-4 uppercase">
                Age
              </th>
              <SortHeader label="Last change" sort="last_change" links={sort} />
            </tr>
          </thead>
          {groups ? (
            groups.map((group, groupIndex) => {
              const isOpen = expanded.has(group.key);
              const ids = group.rows.map((row) => row.id);
              const bodyId = `alert-group-${groupIndex}`;
              return (
                <Fragment key={group.key}>
                  <tbody className="border-t border-slate-200" data-group={group.key}>
                    <tr className="bg-slate-50">
                      {canChange && checkbox(ids, `Select the ${ids.length} alerts of ${group.subject}`)}
                      <td className={cell}>
                        <SeverityBadge severity={group.severity} />
                      </td>
                      <th scope="rowgroup" colSpan={2} className={`${cell} font-normal`}>
                        <button
                          type="button"
                          aria-expanded={isOpen}
                          aria-controls={bodyId}
                          onClick={() => setExpanded((current) => toggled(current, group.key))}
                          className="text-left font-medium text-slate-900 underline-offset-2 hover:underline"
                        >
                          <span aria-hidden="true">{isOpen ? "▾" : "▸"} </span>
                          {group.kind === "ip" ? group.subject : `${group.kind} ${group.subject}`} ({ids.length} alert
                          {ids.length === 1 ? "" : "s"})
                        </button>
                        <div className="text-xs text-slate-600">
                          {group.types.map((type) => FINDING_TYPE_LABELS[type]).join(", ")}
                        </div>
                      </th>
                      <td className={cell}>
                        <LocalTime iso={new Date(group.start).toISOString()} />
                      </td>
                      <td className={cell}>
                        <LocalTime iso={new Date(group.end).toISOString()} />
                      </td>
                      <td className={`${cell} tabular-nums`}>{group.count}</td>
                      <td className={cell} colSpan={3} />
                    </tr>
                  </tbody>
                  <tbody id={bodyId} hidden={!isOpen} className="divide-y divide-slate-100">
                    {group.rows.map((row) => (
                      <tr key={row.id} data-alert-id={row.id} data-alert-status={row.status}>
                        {canChange &&
                          checkbox([row.id], `Select the alert ${FINDING_TYPE_LABELS[row.type]} on ${group.subject}`)}
                        <AlertCells row={row} now={now} />
                      </tr>
                    ))}
                  </tbody>
                </Fragment>
              );
            })
          ) : (
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id} data-alert-id={row.id} data-alert-status={row.status}>
                  {canChange &&
                    checkbox(
                      [row.id],
                      `Select the alert ${FINDING_TYPE_LABELS[row.type]} on ${[row.ip, row.user, row.source].filter(Boolean).join(" and ")}`,
                    )}
                  <AlertCells row={row} now={now} />
                </tr>
              ))}
            </tbody>
          )}
        </table>
      </div>
    </div>
  );
}

function toggled(set: ReadonlySet<string>, key: string): ReadonlySet<string> {
  const next = new Set(set);
  if (next.has(key)) next.delete(key);
  else next.add(key);
  return next;
}
