// What a suite hands back: machine-readable figures for --json, and tables
// for people.
import { formatTable } from "../lib/table";
import type { IngestProtocol } from "./protocols";

export type Table = { title: string; header: string[]; rows: string[][]; rightAligned?: number[] };

export type SuiteResult = {
  suite: string;
  json: Record<string, unknown>;
  tables: Table[];
  notes: string[];
};

export const EVENT_TIMES_MODES = ["dataset", "live"] as const;
export type EventTimesMode = (typeof EVENT_TIMES_MODES)[number];

export type SuiteOptions = {
  size: number;
  seed: number;
  rounds: number;
  build: boolean;
  /** ingest: the dataset's event times, or rebased onto the moment of the run. */
  eventTimes: EventTimesMode;
  /** ingest: the protocol measured (json: against insertMany; the others against json). */
  protocol: IngestProtocol;
  /** A throwaway signing keyring for this run, never the one in .env.local. */
  hmacKeys: string;
  /** Progress lines go to stderr, so that --json output stays clean. */
  progress: (line: string) => void;
};

export type Suite = {
  defaultSize: number;
  run(options: SuiteOptions): Promise<SuiteResult>;
};

export function printResult(result: SuiteResult): void {
  for (const table of result.tables) {
    console.log(`\n${table.title}\n${formatTable(table.header, table.rows, table.rightAligned)}`);
  }
  for (const note of result.notes) console.log(note);
}
