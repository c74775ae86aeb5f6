import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiHandler } from "./handler";

const context = { params: Promise.resolve({}) };
const request = new Request("http://localhost/api/anything");

describe("apiHandler's Cache-Control", () => {
  it("keeps an answer out of caches unless the handler set its own", async () => {
    const plain = apiHandler({ public: true }, async () => Response.json({ ok: true }));
    assert.equal((await plain(request, context)).headers.get("cache-control"), "no-store");
    const cached = apiHandler({ public: true }, async () =>
      Response.json({}, { headers: { "Cache-Control": "public, max-age=300" } }),
    );
    assert.equal((await cached(request, context)).headers.get("cache-control"), "public, max-age=300");
  });

  it("also marks an answer whose headers are immutable, such as a redirect", async () => {
    const redirect = apiHandler({ public: true }, async () => Response.redirect("http://localhost/elsewhere", 303));
    const response = await redirect(request, context);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "http://localhost/elsewhere");
    assert.equal(response.headers.get("cache-control"), "no-store");
  });
});
