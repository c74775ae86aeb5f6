// npm run seed – store realistic normal traffic through the ingestion path, optionally after deleting every log
import { randomInt } from "node:crypto";
import { z } from "zod";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { closeMongoClient, getDb } from "@/lib/platform/db/client";
import { resetLogStore } from "@/lib/ledger/reset";
import { checkpointSeededLogs, seedNormalLogs } from "@/lib/features/generators/seed";
import { runCli } from "./lib/cli";
import { progressBar } from "./lib/progress";

const PROGRESS_FROM = 2_000;

runCli({
  usage: `Usage: npm run seed -- [--count 5000] [--days 7] [--reset] [--random-seed N]

Stores --count logs of normal traffic (no attacks) spread over the --days
before now, signed and sequenced by the same code as POST /api/logs, then
writes a checkpoint that covers them. People work their own shifts (UTC) from
their own devices inside 10.0.0.0/16 with a realistic share of failures;
service accounts run their jobs. --random-seed N makes the traffic repeatable
(by default a random seed is used and printed). Add anomalies with
\`npm run seed:anomalies\`.

--reset first DELETES every stored log, alert, checkpoint, sequence record and
verification report (users and API keys stay), so the integrity chain starts
afresh; the reset itself is recorded as the first log of the new chain. Stop
the app before resetting. --reset --count 0 only deletes.`,
  options: {
    count: { type: "string" },
    days: { type: "string" },
    reset: { type: "boolean" },
    "random-seed": { type: "string" },
  },
  schema: z.object({
    count: z.coerce.number().int("must be a whole number").min(0).max(1_000_000).default(5_000),
    days: z.coerce.number().int("must be a whole number").min(1).max(366).default(7),
    reset: z.boolean().default(false),
    "random-seed": z.coerce
      .number()
      .int("must be a whole number")
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
  }),
  main: async ({ count, days, reset, "random-seed": chosenSeed }) => {
    const randomSeed = chosenSeed ?? randomInt(2 ** 31);
    try {
      const db = await getDb();
      if (reset) {
        const { deleted } = await resetLogStore(db, CLI_ACTOR);
        const parts = Object.entries(deleted).map(([name, n]) => `${n.toLocaleString("en-US")} ${name}`);
        console.log(`Reset: deleted ${parts.join(", ")}.`);
      }
      if (count === 0) return;
      const bar = progressBar("seeding");
      const started = performance.now();
      const seeded = await seedNormalLogs(db, {
        count,
        days,
        randomSeed,
        onProgress: count >= PROGRESS_FROM ? bar.update : undefined,
      });
      bar.end();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const checkpoint = await checkpointSeededLogs(db);
      console.log(
        `Seeded ${seeded.accepted.toLocaleString("en-US")} logs of normal traffic from ${seeded.from.toISOString()} to ${seeded.to.toISOString()} in ${seconds} s` +
          ` (random seed ${randomSeed}); checkpoint ${checkpoint} covers them.`,
      );
    } finally {
      await closeMongoClient();
    }
  },
});
