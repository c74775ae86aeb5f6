import { spawnSync } from "node:child_process";
import { getConfig } from "@/lib/foundation/config";

/** Runs `scripts/<script>.ts` as an operator would, against this test file's database. */
export function runScript(script: string, ...args: string[]) {
  return runScriptWithEnv({}, script, ...args);
}

/** The same with environment variables changed (another MONGODB_DB, a key left out). */
export function runScriptWithEnv(env: Record<string, string>, script: string, ...args: string[]) {
  const result = spawnSync("npx", ["tsx", `scripts/${script}.ts`, ...args], {
    encoding: "utf8",
    env: { ...process.env, MONGODB_DB: getConfig().mongodbDb, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
