import { spawnSync } from "node:child_process";
import { ensureDebianPackage } from "./debian-package";

/** LibreOffice, run headless by the tests that open our exports in a real spreadsheet. */
export const SOFFICE_PATH = "/usr/bin/soffice";

export function ensureLibreOfficeCalc(): void {
  ensureDebianPackage(SOFFICE_PATH, "libreoffice-calc-nogui", "the spreadsheet tests");
}

/**
 * Converts `file` with LibreOffice headless into `outDir` (`convertTo`, e.g.
 * "fods"), importing a CSV with `separator`; returns the converted file's path.
 */
export function convertWithLibreOffice(file: string, outDir: string, convertTo: string, separator: string): string {
  const filter = `CSV:${separator.charCodeAt(0)},34,76,1`;
  const result = spawnSync(SOFFICE_PATH, ["--headless", `--infilter=${filter}`, "--convert-to", convertTo, "--outdir", outDir, file], { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`soffice --convert-to ${convertTo} failed (exit ${result.status}): ${result.stderr}`);
  const name = file.replace(/^.*\//, "").replace(/\.[^.]+$/, "");
  return `${outDir}/${name}.${convertTo.split(":")[0]}`;
}
