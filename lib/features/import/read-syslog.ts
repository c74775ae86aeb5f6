// Syslog lines read one by one (lib/records/syslog): a row per authentication
// attempt, each carrying the line it came from, and every other line as
// skipped with its reason. Blank lines are not counted.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { SyslogReader, type SyslogOptions } from "@/lib/records/syslog/parse-lines";
import type { SourceItem } from "./source";

export async function* readSyslog(text: AsyncIterable<string>, options: SyslogOptions): AsyncGenerator<SourceItem> {
  const reader = new SyslogReader(options);
  const lines = createInterface({ input: Readable.from(text), crlfDelay: Infinity });
  let line = 0;
  for await (const content of lines) {
    line += 1;
    if (content.trim() === "") continue;
    const outcome = reader.read(content);
    if ("skipped" in outcome) yield { kind: "skipped", line, reason: outcome.skipped };
    else for (const event of outcome.events) yield { kind: "row", line, record: event };
  }
}
