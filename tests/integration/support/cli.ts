import { spawnSync } from "node:child_process";
import { getConfig } from "@/lib/config";

/** Runs `scripts/<script>.ts` as an operator would, against this test file's database. */
export function runScript(script: string, ...args: string[]) {
  const result = spawnSync("npx", ["tsx", `scripts/${script}.ts`, ...args], {
    encoding: "utf8",
    env: { ...process.env, MONGODB_DB: getConfig().mongodbDb },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
