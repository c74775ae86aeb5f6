// Values the embedded server should treat as one opaque value: JSON, deflated,
// in a binary. That server decodes every array element of every document it
// reads, writes or deletes, and its cost for the rest grows with the bytes (a
// 66 kB document takes 3.1 ms of its CPU to insert, 26 kB 1.8 ms); deflating
// the JSON of 500 logs' summary columns takes ~0.5 ms here and cuts ~56 kB to ~18 kB.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Binary } from "mongodb";

/** A user-defined binary subtype: raw-deflated UTF-8 JSON. */
const DEFLATED_JSON = 0x80;
/** Fast: the bytes saved cost the server more than a higher level costs here. */
const DEFLATE_LEVEL = 1;

export function packJson(value: unknown): Binary {
  return new Binary(deflateRawSync(JSON.stringify(value), { level: DEFLATE_LEVEL }), DEFLATED_JSON);
}

/** The JSON text of a packed value; values packed before deflating hold it plain. */
export function packedJsonText(packed: Binary): string {
  const bytes = Buffer.from(packed.buffer);
  return (packed.sub_type === DEFLATED_JSON ? inflateRawSync(bytes) : bytes).toString("utf8");
}
