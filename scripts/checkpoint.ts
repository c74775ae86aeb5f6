// npm run checkpoint – write the next signed checkpoint now, or print the latest (--head)
import { writeFileSync } from "node:fs";
import { z } from "zod";
import { getConfig } from "@/lib/foundation/config";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { latestCheckpoint } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { EXIT_PROBLEM, runCli } from "./lib/cli";

runCli({
  usage: `Usage: npm run checkpoint -- [--head] [--out FILE] [--json]

Without --head: writes the next checkpoint over every settled sequence number
since the last one (also when no log arrived) and prints it.
With --head: prints the latest checkpoint, signed; keep it somewhere else and
later run \`npm run verify -- --since-head FILE\` to prove history was not rewritten.
--out FILE writes the JSON to FILE instead of standard output.`,
  options: { head: { type: "boolean" }, out: { type: "string" }, json: { type: "boolean" } },
  schema: z.object({
    head: z.boolean().default(false),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
  }),
  main: async ({ head, out, json }) => {
    try {
      const db = await getDb();
      const checkpoint = head
        ? await latestCheckpoint(db)
        : (await writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: getConfig().checkpointVoidAfterMs }))
            .checkpoint;
      if (!checkpoint) {
        console.error("error: no checkpoint has been written yet (run `npm run checkpoint`)");
        return EXIT_PROBLEM;
      }
      const text = JSON.stringify(checkpoint, null, json || out ? 2 : 0);
      if (out) writeFileSync(out, `${text}\n`);
      if (json || !out) console.log(json ? text : describe(checkpoint));
    } finally {
      await closeMongoClient();
    }
  },
});

function describe(c: {
  number: number;
  start_sequence: number;
  end_sequence: number;
  log_count: number;
  voids: number[];
  root: string;
  created_at: Date;
}): string {
  return `Checkpoint ${c.number}: sequences ${c.start_sequence}–${c.end_sequence - 1} (${c.log_count} logs, ${c.voids.length} voids), root ${c.root.slice(0, 16)}…, ${new Date(c.created_at).toISOString()}`;
}
