import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { presentedKeys } from "./credentials";

const KEY = `llk_0123456789abcdef_${"A".repeat(42)}w`;
const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("presentedKeys", () => {
  it("takes the key of a Bearer header, whatever the scheme's case", () => {
    assert.deepEqual(presentedKeys(`Bearer ${KEY}`), [KEY]);
    assert.deepEqual(presentedKeys(`bearer  ${KEY} `), [KEY]);
  });

  it("takes the key of an ApiKey header as sent", () => {
    assert.deepEqual(presentedKeys(`ApiKey ${KEY}`)[0], KEY);
  });

  it("takes the part after the last colon of Elastic's base64 id:key, whatever the id", () => {
    assert.deepEqual(presentedKeys(`ApiKey ${base64(`rsyslog:${KEY}`)}`).at(-1), KEY);
    assert.deepEqual(presentedKeys(`ApiKey ${base64(`a:b:${KEY}`)}`).at(-1), KEY);
    assert.deepEqual(presentedKeys(`ApiKey ${base64(`:${KEY}`)}`).at(-1), KEY);
  });

  it("takes the password of HTTP Basic, whatever the user name", () => {
    assert.deepEqual(presentedKeys(`Basic ${base64(`shipper:${KEY}`)}`), [KEY]);
    assert.deepEqual(presentedKeys(`Basic ${base64(`:${KEY}`)}`), [KEY]);
  });

  it("presents nothing for other schemes and garbled credentials", () => {
    for (const header of [
      `Token ${KEY}`,
      "Bearer",
      `Bearer ${KEY} extra`,
      "Basic !!!",
      `Basic ${base64(KEY)}`,
      `Basic ${Buffer.from([0xff, 0x3a, 0x41]).toString("base64")}`,
      "",
    ]) {
      assert.deepEqual(presentedKeys(header), [], header);
    }
  });
});
