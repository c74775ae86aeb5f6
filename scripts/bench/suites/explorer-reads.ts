// The two ways the explorer suite reads the same logs: through the production
// app over loopback HTTP (GET /api/logs, GET /api/logs/export), as the
// explorer and API clients do, and as the baseline, the same find through the
// driver from the bench process. Each returns what the suite checks the two
// sides agree on.
import type { Db, Filter } from "mongodb";
import { logsCollection } from "@/lib/logs/collection";
import { CSV_PROJECTION } from "@/lib/logs/export-stream";
import type { StoredLog } from "@/lib/logs/record";

/** GET /api/logs's default page size. */
export const PAGE_SIZE = 50;
const NEWEST_FIRST = { time: -1, sequence: -1 } as const;
const HEAD_CHARS = 2_000;
const LF = 0x0a;

export type ApiPage = { ids: string[]; nextCursor: string | null };
/** A streamed body's LF-terminated lines, its size and its first characters. */
export type Download = { lines: number; bytes: number; head: string };

export async function fetchPage(url: string, apiKey: string, params: URLSearchParams): Promise<ApiPage> {
  const response = await fetch(`${url}/api/logs?${params}`, { headers: { authorization: `Bearer ${apiKey}` } });
  const body = (await response.json()) as { items?: { log_id: string }[]; nextCursor?: string | null };
  if (response.status !== 200 || !body.items) {
    throw new Error(`GET /api/logs?${params} answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return { ids: body.items.map((item) => item.log_id), nextCursor: body.nextCursor ?? null };
}

/** As findLogPage reads: `rows` is the page size plus the one row that tells whether a next page exists. */
export function findPage(db: Db, query: Filter<StoredLog>, rows = PAGE_SIZE + 1): Promise<StoredLog[]> {
  return logsCollection(db).find(query).sort(NEWEST_FIRST).limit(rows).toArray();
}

/** Reads the whole export as a client would, counting lines without holding the body. */
export async function fetchExport(url: string, apiKey: string, params: URLSearchParams): Promise<Download> {
  const response = await fetch(`${url}/api/logs/export?${params}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200 || !response.body) {
    throw new Error(`GET /api/logs/export?${params} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  // ignoreBOM keeps the CSV's byte order mark in `head`, where the check expects it.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const download: Download = { lines: 0, bytes: 0, head: "" };
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const bytes = chunk.value;
    for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) download.lines++;
    if (download.head.length < HEAD_CHARS) download.head += decoder.decode(bytes, { stream: true });
    download.bytes += bytes.length;
  }
  return download;
}

/** The CSV export's own find (same query, projection and order), iterated to the end. */
export async function iterateExportRows(db: Db, query: Filter<StoredLog>): Promise<{ rows: number; firstId: string | undefined }> {
  let rows = 0;
  let firstId: string | undefined;
  for await (const log of logsCollection(db).find(query, { projection: CSV_PROJECTION }).sort(NEWEST_FIRST)) {
    firstId ??= log._id;
    rows++;
  }
  return { rows, firstId };
}
