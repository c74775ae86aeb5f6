// Shared shell for CLI scripts: loads .env files like Next.js does, parses
// flags with zod, prints --help, and maps failures to exit codes
// (0 success, 1 the command found a problem or failed, 2 bad usage).
import { parseArgs, type ParseArgsConfig } from "node:util";
import nextEnv from "@next/env";
import type { z } from "zod";
import { ConfigError, getConfig } from "@/lib/foundation/config";
import { isStorageFull } from "@/lib/platform/db/storage-full";
import { isDatabaseUnavailable } from "@/lib/platform/db/errors";

export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_USAGE = 2;

export type CliSpec<Schema extends z.ZodType> = {
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  schema: Schema;
  allowPositionals?: boolean;
  main: (args: z.infer<Schema>, positionals: string[]) => Promise<number | void>;
};

export function runCli<Schema extends z.ZodType>(spec: CliSpec<Schema>): void {
  // @next/env is CommonJS: its named exports are only reachable through the default one.
  nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });
  void run(spec).then((code) => {
    process.exitCode = code;
  });
}

async function run<Schema extends z.ZodType>(spec: CliSpec<Schema>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    return usageError(spec.usage, error instanceof Error ? error.message : String(error));
  }
  const { help, ...values } = parsed.values as Record<string, unknown>;
  if (help) {
    console.log(spec.usage);
    return EXIT_OK;
  }
  const args = spec.schema.safeParse(values);
  if (!args.success) {
    const problems = args.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`);
    return usageError(spec.usage, problems.join("; "));
  }
  try {
    return (await spec.main(args.data, parsed.positionals)) ?? EXIT_OK;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT_USAGE;
    }
    if (isStorageFull(error)) {
      console.error(
        "error: the database's disk is full: free space (nothing needs a restart) and run the command again",
      );
      return EXIT_PROBLEM;
    }
    if (isDatabaseUnavailable(error)) {
      const { usesEmbeddedDb } = getConfig();
      console.error(
        usesEmbeddedDb
          ? "error: the embedded database is not running: start it with `npm run db` (or `npm run quickstart`), or set MONGODB_URI"
          : "error: the database named by MONGODB_URI cannot be reached",
      );
      return EXIT_PROBLEM;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_PROBLEM;
  }
}

function usageError(usage: string, message: string): number {
  console.error(`error: ${message}\n\n${usage}`);
  return EXIT_USAGE;
}
