import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deflateSync, gzipSync } from "node:zlib";
import { ApiError } from "./errors";
import { readBodyBytes, readBodyText } from "./body";

const MAX = 64 * 1024;

function request(body: Buffer | string, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/", {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers,
  });
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => assert.fail("expected a refusal"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ApiError, String(error));
  return error;
}

describe("readBodyText with Content-Encoding", () => {
  it("reads a gzip body as its inflated text, x-gzip and identity too", async () => {
    const text = '{"message":"héllo"}\n'.repeat(100);
    assert.equal(await readBodyText(request(gzipSync(text), { "content-encoding": "gzip" }), MAX), text);
    assert.equal(await readBodyText(request(gzipSync(text), { "content-encoding": "X-Gzip" }), MAX), text);
    assert.equal(await readBodyText(request(text, { "content-encoding": "identity" }), MAX), text);
  });

  it("reads a gzip body of bytes that are not text, as OTLP's protobuf", async () => {
    const bytes = Buffer.from([0x0a, 0xff, 0x00, 0x80, 0x12]);
    assert.deepEqual(await readBodyBytes(request(gzipSync(bytes), { "content-encoding": "gzip" }), MAX), bytes);
  });

  it("applies the limit to the inflated size: 413 for a small body that inflates past it", async () => {
    const inflatesPast = gzipSync(Buffer.alloc(MAX + 1, "a"));
    assert.ok(inflatesPast.byteLength < MAX / 10);
    assert.equal((await refusal(readBodyText(request(inflatesPast, { "content-encoding": "gzip" }), MAX))).status, 413);
    assert.equal(
      (await readBodyText(request(gzipSync(Buffer.alloc(MAX, "a")), { "content-encoding": "gzip" }), MAX)).length,
      MAX,
    );
  });

  it("refuses a gzip bomb without inflating it all", async () => {
    // 400 gzip members of 1 MiB of zeros each: 400 MiB once inflated, 400 KiB sent.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 400 }, () => member));
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const error = await refusal(readBodyText(request(bomb, { "content-encoding": "gzip" }), bomb.byteLength));
    assert.equal(error.status, 413);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, "inflated far past the limit");
    assert.ok(Date.now() - started < 2_000);
  });

  it("answers 400 for a body that is not gzip or ends early", async () => {
    const whole = gzipSync("x".repeat(10_000));
    for (const body of [Buffer.from("not gzip at all"), whole.subarray(0, whole.byteLength - 8)]) {
      const error = await refusal(readBodyText(request(body, { "content-encoding": "gzip" }), MAX));
      assert.equal(error.status, 400);
      assert.match(error.message, /not valid gzip/);
    }
  });

  it("answers 415 for another encoding, saying which it takes", async () => {
    for (const encoding of ["deflate", "br", "gzip, gzip"]) {
      const error = await refusal(readBodyText(request(deflateSync("x"), { "content-encoding": encoding }), MAX));
      assert.equal(error.status, 415, encoding);
      assert.equal(error.headers?.["Accept-Encoding"], "gzip");
    }
  });
});
