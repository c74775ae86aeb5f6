// The CSV and XLSX exports opened in a real spreadsheet, LibreOffice Calc
// (headless). The CSV, split on a comma, a semicolon, a tab or a pipe, makes
// no formula cell; split on commas (its own separator), every hostile text
// reads back, after restoreCsvCell, as stored (Calc keeps a cell's ' as text;
// it turns a line break's CR LF or CR into LF), and imported again it stores
// nothing new. The XLSX makes no formula cell, holds every text as stored and
// its times as date cells.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Papa from "papaparse";
import type { Db } from "mongodb";
import { exportChunks } from "@/lib/features/explorer/export-stream";
import type { ImportReport } from "@/lib/features/import/import-report";
import { getDb } from "@/lib/platform/db/client";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { CSV_BOM, restoreCsvCell } from "@/lib/records/logs/csv";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { convertWithLibreOffice } from "../../scripts/lib/libreoffice";
import { setupAppDatabase } from "./support/app-db";
import { runScript } from "./support/cli";

setupAppDatabase("spreadsheet_exports");

const FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://x")'];
const SEPARATORS = [",", ";", "\t", "|"];
// Calc's CSV export: comma, double quotes, UTF-8, cells as shown.
const CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false";
// Each formula at the start, after every separator, after quotes, a tab or a CR.
const HOSTILE = [
  ...FORMULAS.flatMap((formula) => [
    formula,
    ...SEPARATORS.map((separator) => `a${separator}${formula}`),
    `a;"${formula}"`,
    `\t${formula}`,
    `x\r${formula}`,
    `'${formula}`,
  ]),
  // What an XLSX string could read as another character, and white space at the edges.
  "_x0041_ and _x003D_1+1",
  "  padded\t",
];

let db: Db;
let dir: string;
let csvFile: string;
let xlsxFile: string;
let inputs: LogInput[];

describe("the CSV and XLSX exports in LibreOffice Calc", () => {
  before(async () => {
    db = await getDb();
    await ensureIndexes(db);
    inputs = HOSTILE.map((text, index) => ({
      log_id: `sheet-${index}`,
      timestamp: new Date(Date.UTC(2026, 5, 1, 12, 0, index)).toISOString(),
      ip: "10.0.3.7",
      user: text,
      action: `act${SEPARATORS[index % 4]}${text}`,
      status: "failed",
      source: text.slice(0, 64),
      message: `msg ${text}`,
      metadata: { note: text, [`k${index % 3}`]: `;${text}` },
    }));
    await ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000, ingestedBy: "cli:test" });
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    dir = mkdtempSync(path.join(tmpdir(), "ledgerline-sheet-"));
    csvFile = path.join(dir, "logs.csv");
    xlsxFile = path.join(dir, "book.xlsx");
    writeFileSync(csvFile, await exported("csv"));
    writeFileSync(xlsxFile, await exported("xlsx"));
  });

  async function exported(format: "csv" | "xlsx"): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const filter = { limit: 50, sort: "asc" as const, format };
    for await (const chunk of exportChunks(db, filter, {
      publicKeys: getCheckpointSigner().publicKeys(),
      maxFutureSkewMs: 300_000,
    }))
      chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }

  /** Each row of a CSV by its log_id, the cells by header name. */
  function rowsById(csvText: string, idColumn: string): Map<string, Record<string, string>> {
    const [header, ...rows] = Papa.parse<string[]>(csvText.replace(CSV_BOM, ""), { skipEmptyLines: true }).data;
    const id = header!.indexOf(idColumn);
    return new Map(
      rows.map((row) => [row[id]!, Object.fromEntries(header!.map((name, index) => [name, row[index]!]))]),
    );
  }

  /** The texts as stored, with Calc's line breaks (CR LF or CR read as LF) when it read them from a CSV. */
  const expectedTexts = (input: LogInput, fromCsv: boolean) => {
    const text = (value: string) => (fromCsv ? value.replace(/\r\n?/g, "\n") : value);
    return {
      user: text(input.user),
      action: text(input.action),
      source: text(input.source!),
      message: text(input.message!),
      metadata: input.metadata,
    };
  };

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const separator of SEPARATORS) {
    it(`makes no formula cell when the CSV is split on ${JSON.stringify(separator)}`, () => {
      const outDir = path.join(dir, `sep-${separator.charCodeAt(0)}`);
      const converted = readFileSync(convertWithLibreOffice(csvFile, outDir, "fods", separator), "utf8");
      assert.ok(converted.includes("<table:table-cell"), "Calc wrote a sheet");
      assert.deepEqual(converted.match(/table:formula="[^"]*"/g) ?? [], []);
    });
  }

  it("imports back with npm run import as the same logs: nothing new stored, nothing refused", async () => {
    const before = await logsCollection(db).find().sort({ sequence: 1 }).toArray();
    const imported = runScript("import", csvFile, "--json");
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    const report = JSON.parse(imported.stdout) as ImportReport;
    assert.deepEqual(
      [report.rows, report.imported, report.already_there, report.refused],
      [inputs.length, 0, inputs.length, 0],
      JSON.stringify(report.refused_rows),
    );
    // The import's own audit record aside, the store is as it was.
    const after = await logsCollection(db)
      .find({ action: { $ne: "logs_imported" } })
      .sort({ sequence: 1 })
      .toArray();
    assert.deepEqual(after, before);
  });

  it("reads every hostile text back as stored, split on commas", () => {
    const converted = convertWithLibreOffice(csvFile, path.join(dir, "roundtrip"), CSV_OUT, ",");
    const rows = rowsById(readFileSync(converted, "utf8"), "log_id");
    assert.equal(rows.size, inputs.length);
    for (const input of inputs) {
      const read = (name: string) => restoreCsvCell(rows.get(input.log_id!)![name]!);
      assert.deepEqual(
        {
          user: read("user"),
          action: read("action"),
          source: read("source"),
          message: read("message"),
          metadata: JSON.parse(read("metadata")),
        },
        expectedTexts(input, true),
        input.log_id,
      );
    }
  });

  it("writes an XLSX whose texts are strings exactly as stored and whose times are UTC dates, with no formula", () => {
    const sheet = readFileSync(convertWithLibreOffice(xlsxFile, path.join(dir, "xlsx"), "fods"), "utf8");
    assert.deepEqual(sheet.match(/table:formula="[^"]*"/g) ?? [], []);
    // The first log's time, 2026-06-01T12:00:00Z, as a date cell.
    assert.match(sheet, /office:value-type="date" office:date-value="2026-06-01T12:00:00"/);
    const rows = rowsById(
      readFileSync(convertWithLibreOffice(xlsxFile, path.join(dir, "xlsx-csv"), CSV_OUT), "utf8"),
      "log_id",
    );
    assert.equal(rows.size, inputs.length);
    for (const input of inputs) {
      const row = rows.get(input.log_id!)!;
      assert.deepEqual(
        {
          user: row.user,
          action: row.action,
          source: row.source,
          message: row.message,
          metadata: JSON.parse(row.metadata!),
        },
        expectedTexts(input, false),
        input.log_id,
      );
    }
  });
});
