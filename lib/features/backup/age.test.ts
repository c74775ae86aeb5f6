import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateAgeKeyPair, isAgeRecipient, parseAgeIdentities } from "./age";

describe("age identity files", () => {
  it("hold one identity per line, with comments and blank lines skipped", async () => {
    const first = await generateAgeKeyPair();
    const second = await generateAgeKeyPair();
    assert.deepEqual(parseAgeIdentities(`${first.identityFile}\r\n\n  # another\n${second.identity}  \n`), [
      first.identity,
      second.identity,
    ]);
  });

  it("name a bad line by its number without quoting it", () => {
    const secretish = "AGE-SECRET-KEY-1NOTREALLY";
    assert.throws(
      () => parseAgeIdentities(`# mine\n${secretish}\n`),
      (error: Error) => {
        assert.equal(error.message, "line 2 is not an age identity (AGE-SECRET-KEY-1...)");
        return true;
      },
    );
    assert.throws(() => parseAgeIdentities("# only a comment\n"), /holds no age identity/);
  });
});

describe("age public keys", () => {
  it("are those of generated pairs, and nothing else", async () => {
    const { recipient, identity } = await generateAgeKeyPair();
    assert.equal(isAgeRecipient(recipient), true);
    assert.equal(isAgeRecipient(identity), false);
    assert.equal(isAgeRecipient(`${recipient.slice(0, -1)}x`), false);
    assert.equal(isAgeRecipient(""), false);
  });
});
