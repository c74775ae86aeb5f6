// schemathesis (PyPI), which tests/reliability/schemathesis.test.ts runs
// against the production app: the pinned version already on PATH, or one
// installed once per user into a virtualenv under ~/.cache/ledgerline.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

export const SCHEMATHESIS_VERSION = "4.32.5";
const VENV = path.join(homedir(), ".cache", "ledgerline", `schemathesis-${SCHEMATHESIS_VERSION}`);
// Written once pip has finished, so that an interrupted install is redone.
const INSTALLED = path.join(VENV, ".installed");

/** The schemathesis command to run, installing the pinned version on first use (a minute or so). */
export function ensureSchemathesis(log: (line: string) => void = console.log): string {
  const venvBinary = path.join(VENV, "bin", "schemathesis");
  if (existsSync(INSTALLED)) return venvBinary;
  const onPath = spawnSync("schemathesis", ["--version"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.includes(SCHEMATHESIS_VERSION)) return "schemathesis";

  log(`Installing schemathesis ${SCHEMATHESIS_VERSION} into ${VENV}...`);
  rmSync(VENV, { recursive: true, force: true });
  const steps: [string, string[]][] = [
    ["python3", ["-m", "venv", VENV]],
    [path.join(VENV, "bin", "pip"), ["install", "--quiet", `schemathesis==${SCHEMATHESIS_VERSION}`]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) {
      rmSync(VENV, { recursive: true, force: true });
      throw new Error(
        `${path.basename(command)} ${args.join(" ")} failed (exit ${result.status ?? result.error?.message}): ` +
          "schemathesis needs Python 3.10+ with venv (Debian: sudo apt-get install python3-venv)",
      );
    }
  }
  writeFileSync(INSTALLED, `${SCHEMATHESIS_VERSION}\n`);
  return venvBinary;
}

export type SchemathesisOutcome = {
  /** Operations (and stateful scenarios) the run reported on. */
  tested: number;
  /** "POST /v1/logs: ST201 Schema-violating request accepted", one per operation and check; errors likewise. */
  failures: string[];
};

const TESTCASE = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
const OUTCOME = /<(failure|error)\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1>)/g;
const CHECK_TITLE = /^- (ST\d+ .+)$/gm;

/** What a run's JUnit XML report (--report junit) says failed, by operation and check. */
export function junitFailures(xml: string): SchemathesisOutcome {
  let tested = 0;
  const failures: string[] = [];
  for (const [, attributes, body = ""] of xml.matchAll(TESTCASE)) {
    tested++;
    const name = xmlText(/\bname="([^"]*)"/.exec(attributes!)?.[1] ?? "?");
    for (const [, kind, text = ""] of body.matchAll(OUTCOME)) {
      const detail = xmlText(text);
      const titles =
        kind === "failure" ? [...new Set([...detail.matchAll(CHECK_TITLE)].map((match) => match[1]!))] : [];
      const firstLine =
        detail
          .split("\n")
          .find((line) => line.trim() !== "")
          ?.trim() ?? "(no message)";
      for (const title of titles.length > 0 ? titles : [`${kind}: ${firstLine}`]) failures.push(`${name}: ${title}`);
    }
  }
  return { tested, failures };
}

function xmlText(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(
      /&(lt|gt|quot|apos|amp);/g,
      (_, name: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name]!,
    );
}
