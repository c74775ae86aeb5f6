// The CSV export opened in a real spreadsheet: LibreOffice Calc (headless)
// imports it splitting on a comma, a semicolon, a tab or a pipe, and no cell
// becomes a formula; split on commas (the file's own separator), every hostile
// text reads back, after restoreCsvCell, as stored (Calc keeps a cell's ' as
// text; it turns a line break's CR LF or CR into LF). Imported again, the
// file stores nothing new.
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Papa from "papaparse";
import type { Db } from "mongodb";
import { exportChunks } from "@/lib/explorer/export-stream";
import { importLogs } from "@/lib/import/import-logs";
import { getDb } from "@/lib/db/client";
import { ensureIndexes } from "@/lib/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/integrity/active-keyring";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { CSV_BOM, restoreCsvCell } from "@/lib/logs/csv";
import { ingestLogs } from "@/lib/logs/ingest";
import type { LogInput } from "@/lib/logs/schemas";
import { convertWithLibreOffice } from "../../scripts/lib/libreoffice";
import { setupAppDatabase } from "./support/app-db";

setupAppDatabase("spreadsheet_csv");

const FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", "=HYPERLINK(\"http://x\")"];
const SEPARATORS = [",", ";", "\t", "|"];
// Each formula at the start, after every separator, after quotes, a tab or a CR.
const HOSTILE = FORMULAS.flatMap((formula) => [formula, ...SEPARATORS.map((separator) => `a${separator}${formula}`), `a;"${formula}"`, `\t${formula}`, `x\r${formula}`, `'${formula}`]);

let db: Db;
let dir: string;
let csvFile: string;
let inputs: LogInput[];

describe("the CSV export in LibreOffice Calc", () => {
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
    await ingestLogs(db, inputs, { keyring: getKeyring(), maxFutureSkewMs: 300_000 });
    await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000 });
    let text = "";
    const filter = { limit: 50, sort: "asc" as const, format: "csv" as const };
    for await (const chunk of exportChunks(db, filter, { publicKeys: getCheckpointSigner().publicKeys(), maxFutureSkewMs: 300_000 })) text += chunk;
    dir = mkdtempSync(path.join(tmpdir(), "ledgerline-sheet-"));
    csvFile = path.join(dir, "logs.csv");
    writeFileSync(csvFile, text);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const separator of SEPARATORS) {
    it(`makes no formula cell when split on ${JSON.stringify(separator)}`, () => {
      const outDir = path.join(dir, `sep-${separator.charCodeAt(0)}`);
      const converted = readFileSync(convertWithLibreOffice(csvFile, outDir, "fods", separator), "utf8");
      assert.ok(converted.includes("<table:table-cell"), "Calc wrote a sheet");
      assert.deepEqual(converted.match(/table:formula="[^"]*"/g) ?? [], []);
    });
  }

  it("imports back as the same logs: nothing new stored, nothing refused", async () => {
    const report = await importLogs(db, createReadStream(csvFile), { keyring: getKeyring(), maxFutureSkewMs: 300_000, fileName: "logs.csv" });
    assert.deepEqual([report.rows, report.imported, report.already_there, report.refused], [inputs.length, 0, inputs.length, 0], JSON.stringify(report.refused_rows));
  });

  it("reads every hostile text back as stored, split on commas", () => {
    const outDir = path.join(dir, "roundtrip");
    const converted = convertWithLibreOffice(csvFile, outDir, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false", ",");
    const rows = Papa.parse<string[]>(readFileSync(converted, "utf8").replace(CSV_BOM, ""), { skipEmptyLines: true }).data;
    const [header, ...cells] = rows;
    const column = (name: string) => header!.indexOf(name);
    const lineBreaks = (text: string) => text.replace(/\r\n?/g, "\n");
    assert.equal(cells.length, inputs.length);
    for (const input of inputs) {
      const row = cells.find((cell) => cell[column("log_id")] === input.log_id)!;
      const read = (name: string) => restoreCsvCell(row[column(name)]!);
      assert.deepEqual(
        { user: read("user"), action: read("action"), source: read("source"), message: read("message"), metadata: JSON.parse(read("metadata")) },
        { user: lineBreaks(input.user), action: lineBreaks(input.action), source: lineBreaks(input.source!), message: lineBreaks(input.message!), metadata: JSON.parse(lineBreaks(JSON.stringify(input.metadata))) },
        input.log_id,
      );
    }
  });
});
