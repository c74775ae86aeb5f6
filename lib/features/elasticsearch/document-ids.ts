// The log_ids of one bulk document's logs. Shippers retry whole batches, so
// a document sent without an _id gets one from what it holds: `es-` and 32
// hex digits of SHA-256 over who sends it, the logs it maps to and how many
// identical documents came before it in the same request. A re-sent batch
// then stores nothing twice, and two identical lines in one batch are two logs;
// identical documents in two requests are one log, unless they carry
// something that tells them apart (log.offset, an _id). A document whose
// logs have no time of their own cannot be told from a new one sent later,
// so it gets a random id. Further logs of one document are `<id>:2`, `<id>:3`, …
import { createHash, randomUUID } from "node:crypto";
import { contentKey, logContentOf } from "@/lib/records/logs/record";
import type { LogInput } from "@/lib/records/logs/schemas";

const DOCUMENT_ID_PREFIX = "es-";
const EPOCH = new Date(0);

/** Numbers the identical documents of one request, in order. */
export class DocumentIds {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ingestedBy: string) {}

  /** The log_ids of a document's logs: from its _id when it has one. */
  next(inputs: LogInput[], id: string | undefined): string[] {
    const base = this.base(inputs, id);
    return inputs.map((_, index) => (index === 0 ? base : `${base}:${index + 1}`));
  }

  private base(inputs: LogInput[], id: string | undefined): string {
    if (id !== undefined) return id;
    if (inputs.some((input) => input.timestamp === undefined)) return randomUUID();
    const content = JSON.stringify([this.ingestedBy, ...inputs.map((input) => contentKey(logContentOf(input, EPOCH)))]);
    const occurrence = (this.seen.get(content) ?? 0) + 1;
    this.seen.set(content, occurrence);
    return DOCUMENT_ID_PREFIX + createHash("sha256").update(`${occurrence}\n${content}`).digest("hex").slice(0, 32);
  }
}
