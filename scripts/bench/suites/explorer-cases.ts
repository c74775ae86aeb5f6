// What the explorer suite asks for, chosen from the dataset: windows that end
// where the dataset does (its "now"); the /24 with the most failed logs in the
// last week; the word, of those in the last week's messages that name no user
// or action, held by the share of them nearest 1%. The last week is counted as
// it loads; how many logs each set of criteria matches is counted afterwards
// over the dataset file with the app's own predicate, so at any size.
import { DAY_MS } from "@/lib/features/dashboard/window";
import { ACTIONS, USERS } from "@/lib/features/generators/log-vocabulary";
import type { GeneratedLogInput } from "@/lib/features/generators/logs";
import type { LogCriteria } from "@/lib/records/logs/filters";
import { logMatcher } from "@/lib/records/logs/criteria-query";
import { DATASET_END, type Dataset } from "../dataset";

const WORD_SHARE = 0.01;
const WORD = /[a-z]{4,}/g;
const NAMES: readonly string[] = [...USERS, ...ACTIONS];
const IPV4_NETWORK = /^(\d+\.\d+\.\d+)\.\d+$/;
const BATCH_SIZE = 10_000;

/** A user no generated log names. */
export const NOBODY = "nobody.bench";

export const LAST_DAY = lastOf(DAY_MS);
export const LAST_WEEK = lastOf(7 * DAY_MS);

function lastOf(ms: number): { from: Date; to: Date } {
  return { from: new Date(DATASET_END.getTime() - ms), to: DATASET_END };
}

/** Over the last week's logs: how many, the failed ones per IPv4 /24, and how many messages hold each word. */
export type WeekCounts = { logs: number; failuresByNetwork: Map<string, number>; messagesWith: Map<string, number> };

export function newWeekCounts(): WeekCounts {
  return { logs: 0, failuresByNetwork: new Map(), messagesWith: new Map() };
}

export function countWeek(counts: WeekCounts, batch: GeneratedLogInput[]): void {
  const [from, to] = [LAST_WEEK.from.getTime(), LAST_WEEK.to.getTime()];
  for (const log of batch) {
    const time = Date.parse(log.timestamp);
    if (time < from || time > to) continue;
    counts.logs++;
    const network = IPV4_NETWORK.exec(log.ip)?.[1];
    if (log.status === "failed" && network) increment(counts.failuresByNetwork, `${network}.0/24`);
    for (const word of new Set(log.message?.toLowerCase().match(WORD))) increment(counts.messagesWith, word);
  }
}

export type Choice = { network: string; word: string };

export function choose(counts: WeekCounts): Choice {
  const network = best(counts.failuresByNetwork, (failed) => failed);
  // A user's or action's name would also match those fields: q searches message, user and action.
  const messageWords = new Map([...counts.messagesWith].filter(([word]) => !NAMES.some((name) => name.includes(word))));
  const word = best(messageWords, (messages) => -Math.abs(messages / counts.logs - WORD_SHARE));
  if (!network || !word)
    throw new Error(`the dataset's last week holds no ${network ? "message word" : "failed log from an IPv4 address"}`);
  return { network, word };
}

/** How many of the dataset's logs each set of criteria matches. */
export async function countMatching<K extends string>(
  dataset: Dataset,
  criteria: Record<K, LogCriteria>,
): Promise<Record<K, number>> {
  const matchers = Object.entries<LogCriteria>(criteria).map(([name, each]) => ({
    name,
    matches: logMatcher(each),
    count: 0,
  }));
  for await (const batch of dataset.batches(BATCH_SIZE)) {
    for (const log of batch) {
      const matchable = { ...log, time: new Date(log.timestamp) };
      for (const matcher of matchers) if (matcher.matches(matchable)) matcher.count++;
    }
  }
  return Object.fromEntries(matchers.map(({ name, count }) => [name, count])) as Record<K, number>;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The key that scores highest, the first in sort order among equals (runs pick the same one). */
function best(counts: Map<string, number>, score: (count: number) => number): string | undefined {
  const keys = [...counts.keys()].sort();
  return keys.reduce<string | undefined>(
    (chosen, key) => (chosen === undefined || score(counts.get(key)!) > score(counts.get(chosen)!) ? key : chosen),
    undefined,
  );
}
