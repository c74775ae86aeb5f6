import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureDebianPackage } from "./debian-package";

/** LibreOffice, run headless by the tests that open our exports in a real spreadsheet. */
export const SOFFICE_PATH = "/usr/bin/soffice";

export function ensureLibreOfficeCalc(): void {
  ensureDebianPackage(SOFFICE_PATH, "libreoffice-calc-nogui", "the spreadsheet tests");
}

/**
 * Converts `file` with LibreOffice headless into `outDir` (`convertTo`, e.g.
 * "fods"); a CSV is imported split on `csvSeparator`. Returns the converted
 * file's path.
 */
export function convertWithLibreOffice(file: string, outDir: string, convertTo: string, csvSeparator?: string): string {
  const filter = csvSeparator === undefined ? [] : [`--infilter=CSV:${csvSeparator.charCodeAt(0)},34,76,1`];
  const result = spawnSync(
    SOFFICE_PATH,
    ["--headless", ...filter, "--convert-to", convertTo, "--outdir", outDir, file],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (result.status !== 0)
    throw new Error(`soffice --convert-to ${convertTo} failed (exit ${result.status}): ${result.stderr}`);
  const name = path.basename(file).replace(/\.[^.]+$/, "");
  return path.join(outDir, `${name}.${convertTo.split(":")[0]}`);
}
