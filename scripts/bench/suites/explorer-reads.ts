// How the explorer suite reads logs: through the production app over loopback
// HTTP, as the explorer and API clients do (a page of GET /api/logs, the /logs
// page's HTML, an export), and the brute-force answer it checks them against:
// the same criteria as a find over the whole logs collection. Each HTTP read
// reports what arrived, never holding an export's body.
import ExcelJS from "exceljs";
import type { Db } from "mongodb";
import { logsCollection } from "@/lib/records/logs/collection";
import { CSV_BOM, csvHeaderLine } from "@/lib/records/logs/csv";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { logFilterQuery } from "@/lib/records/logs/criteria-query";

/** GET /api/logs's and the /logs page's default page size. */
export const PAGE_SIZE = 50;
const NEWEST_FIRST = { time: -1, sequence: -1 } as const;
const LF = 0x0a;
const HEAD_CHARS = 2_000;
// Every log line of the NDJSON export starts so (a message cannot: its quotes are escaped).
const NDJSON_LOG_LINE = Buffer.from('\n{"type":"log",');
const ROW_ATTRIBUTE = 'data-log-id="';
const ROW_ID = /data-log-id="([^"]+)"/g;

/**
 * `ids`: the logs in the order shown (of an export, the first row's only);
 * `firstByteMs`, `firstRowMs` (exports and the /logs page, else NaN): from
 * sending the request until the body's first byte, and its first log row,
 * arrived.
 */
export type Received = { ids: string[]; rows: number; bytes: number; firstByteMs: number; firstRowMs: number };

export async function fetchPage(url: string, apiKey: string, params: URLSearchParams): Promise<Received> {
  const { text, ...body } = await fetchText(`${url}/api/logs?${params}`, { authorization: `Bearer ${apiKey}` });
  const items = (JSON.parse(text) as { items: { log_id: string }[] }).items;
  return { ...body, ids: items.map((item) => item.log_id), rows: items.length, firstRowMs: NaN };
}

/** GET /api/anomalies: its findings, named by type, subject and start. */
export async function fetchAnomalies(url: string, apiKey: string, params: URLSearchParams): Promise<Received> {
  const { text, ...body } = await fetchText(`${url}/api/anomalies?${params}`, { authorization: `Bearer ${apiKey}` });
  const findings = (JSON.parse(text) as { findings: { type: string; ip?: string; user?: string; start: string }[] })
    .findings;
  return {
    ...body,
    ids: findings.map((f) => `${f.type}:${f.ip ?? ""}:${f.user ?? ""}:${f.start}`),
    rows: findings.length,
    firstRowMs: NaN,
  };
}

/** The /logs page until its whole HTML has arrived: React streams the rows, then the match count, after the shell. */
export async function fetchLogsHtml(url: string, cookie: string, params: URLSearchParams): Promise<Received> {
  const { text, markMs, ...body } = await fetchText(`${url}/logs?${params}`, { cookie }, ROW_ATTRIBUTE);
  const ids = [...text.matchAll(ROW_ID)].map((match) => match[1]!);
  return { ...body, ids, rows: ids.length, firstRowMs: markMs };
}

export async function fetchCsvExport(url: string, apiKey: string, params: URLSearchParams): Promise<Received> {
  // ignoreBOM keeps the byte order mark in `head`, where it is checked.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let head = "";
  let lines = 0;
  let firstRowMs = NaN;
  const body = await fetchBody(
    `${url}/api/logs/export?${params}`,
    { authorization: `Bearer ${apiKey}` },
    (bytes, ms) => {
      lines += countOf(bytes, LF);
      if (lines >= 2 && Number.isNaN(firstRowMs)) firstRowMs = ms;
      if (head.length < HEAD_CHARS) head += decoder.decode(bytes, { stream: true });
    },
  );
  const preamble = `${CSV_BOM}${csvHeaderLine()}`;
  if (!head.startsWith(preamble))
    throw new Error(
      `GET /api/logs/export?${params} does not start with the CSV header: ${JSON.stringify(head.slice(0, 300))}`,
    );
  // One CRLF-ended line per log after the header (no generated message holds a line break); log ids need no quoting.
  const first = head.slice(preamble.length).split(",", 1)[0];
  return { ...body, ids: first ? [first] : [], rows: lines - 1, firstRowMs };
}

/** The workbook is read once it has all arrived (after the timing): its rows below the header, and the first log id. */
export async function fetchXlsxExport(url: string, apiKey: string, params: URLSearchParams): Promise<Received> {
  const chunks: Uint8Array[] = [];
  const body = await fetchBody(
    `${url}/api/logs/export?${params}`,
    { authorization: `Bearer ${apiKey}` },
    (bytes) => void chunks.push(bytes),
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet("logs");
  if (!sheet) throw new Error(`GET /api/logs/export?${params} holds no "logs" sheet`);
  const first = sheet.getRow(2).getCell(1).text;
  return { ...body, ids: first ? [first] : [], rows: sheet.actualRowCount - 1, firstRowMs: NaN };
}

/** `rows`: the export's log lines (it also carries its header, the keys, checkpoints and the logs it leaves out). */
export async function fetchNdjsonExport(url: string, apiKey: string, params: URLSearchParams): Promise<Received> {
  let rows = 0;
  let firstRowMs = NaN;
  let carry = Buffer.alloc(0);
  const body = await fetchBody(
    `${url}/api/logs/export?${params}`,
    { authorization: `Bearer ${apiKey}` },
    (bytes, ms) => {
      // A line's start may straddle two chunks: the last few bytes of one are searched again with the next.
      const joined = Buffer.concat([carry, bytes]);
      for (let at = joined.indexOf(NDJSON_LOG_LINE); at !== -1; at = joined.indexOf(NDJSON_LOG_LINE, at + 1)) rows++;
      if (rows > 0 && Number.isNaN(firstRowMs)) firstRowMs = ms;
      carry = joined.subarray(Math.max(0, joined.length - NDJSON_LOG_LINE.length + 1));
    },
  );
  return { ...body, ids: [], rows, firstRowMs };
}

/** The first `rows` logs the criteria match, newest first, by a find over the whole logs collection (a full scan on the embedded server). */
export async function bruteForceIds(db: Db, criteria: LogCriteria, rows: number): Promise<string[]> {
  const logs = await logsCollection(db)
    .find(logFilterQuery(criteria), { projection: { _id: 1, time: 1, sequence: 1 } })
    .sort(NEWEST_FIRST)
    .limit(rows)
    .toArray();
  return logs.map((log) => log._id);
}

/** `markMs`: when `mark` first arrived (NaN if it never did). */
async function fetchText(
  url: string,
  headers: Record<string, string>,
  mark?: string,
): Promise<{ text: string; bytes: number; firstByteMs: number; markMs: number }> {
  const decoder = new TextDecoder();
  let text = "";
  let markMs = NaN;
  const body = await fetchBody(url, headers, (bytes, ms) => {
    const searchFrom = Math.max(0, text.length - (mark?.length ?? 0));
    text += decoder.decode(bytes, { stream: true });
    if (mark && Number.isNaN(markMs) && text.includes(mark, searchFrom)) markMs = ms;
  });
  return { ...body, text: text + decoder.decode(), markMs };
}

/** Throws unless the answer is 200 (a page that redirects to /login is not read). */
async function fetchBody(
  url: string,
  headers: Record<string, string>,
  onChunk: (bytes: Uint8Array, ms: number) => void,
): Promise<{ bytes: number; firstByteMs: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: "manual" });
  if (response.status !== 200 || !response.body) {
    throw new Error(
      `GET ${url} answered ${response.status} ${response.headers.get("location") ?? ""}: ${(await response.text()).slice(0, 500)}`,
    );
  }
  const received = { bytes: 0, firstByteMs: NaN };
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const ms = performance.now() - started;
    if (received.bytes === 0) received.firstByteMs = ms;
    received.bytes += chunk.value.length;
    onChunk(chunk.value, ms);
  }
  return received;
}

function countOf(bytes: Uint8Array, byte: number): number {
  let count = 0;
  for (let at = bytes.indexOf(byte); at !== -1; at = bytes.indexOf(byte, at + 1)) count++;
  return count;
}
