import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from "mongodb";
import { BusyError } from "@/lib/foundation/util/concurrency-limit";
import { DatabaseBackloggedError, DatabaseTooSlowError } from "@/lib/platform/db/time-budget";
import { ApiError, errorResponse, toApiError } from "./errors";

describe("toApiError", () => {
  it("keeps an ApiError as it is", () => {
    const error = new ApiError("conflict", "taken", [{ field: "log_id" }]);
    assert.equal(toApiError(error), error);
  });

  it("turns database outages, including bare socket errors, into 503 with Retry-After", () => {
    const epipe = Object.assign(new Error("This socket has been ended by the other party"), { code: "EPIPE" });
    for (const error of [
      new MongoNetworkError("closed"),
      new MongoServerSelectionError("no server", {} as never),
      epipe,
    ]) {
      const converted = toApiError(error);
      assert.equal(converted.status, 503);
      assert.equal(converted.headers?.["Retry-After"], "5");
    }
  });

  it("turns a full disk, as the embedded server and MongoDB report it, into 503 storage_full with Retry-After", () => {
    // What FerretDB v1.24.2 on SQLite answered an insert on a full tmpfs.
    const sqliteFull = new MongoServerError({
      ok: 0,
      code: 1,
      codeName: "InternalError",
      errmsg:
        "[msg_insert.go:168 handler.(*Handler).MsgInsert] [db.go:167 fsql.(*DB).InTransaction] database or disk is full (13)",
    });
    const outOfDiskSpace = new MongoServerError({
      ok: 0,
      code: 14031,
      codeName: "OutOfDiskSpace",
      errmsg: "Insufficient disk space",
    });
    for (const error of [sqliteFull, outOfDiskSpace]) {
      const converted = toApiError(error);
      assert.equal(converted.status, 503);
      assert.equal(converted.code, "storage_full");
      assert.equal(converted.headers?.["Retry-After"], "30");
    }
  });

  it("turns a BusyError into 503 server_busy with its Retry-After", () => {
    const converted = toApiError(new BusyError("The server is busy with password checks; retry in a second.", 1));
    assert.equal(converted.status, 503);
    assert.equal(converted.code, "server_busy");
    assert.equal(converted.headers?.["Retry-After"], "1");
  });

  it("turns a database too slow or still busy with timed-out requests into 503 with Retry-After, saying what was stored", () => {
    const slow = toApiError(new DatabaseTooSlowError(10_000));
    assert.deepEqual([slow.status, slow.code, slow.headers?.["Retry-After"]], [503, "database_unavailable", "5"]);
    assert.match(slow.message, /did not answer within 10 s\. What this request sent may still be stored/);
    const backlogged = toApiError(new DatabaseBackloggedError(64));
    assert.deepEqual(
      [backlogged.status, backlogged.code, backlogged.headers?.["Retry-After"]],
      [503, "database_unavailable", "5"],
    );
    assert.match(backlogged.message, /work of 64 requests that timed out.*nothing of it was stored/);
  });

  it("hides the details of anything else behind a generic 500", () => {
    const converted = toApiError(new Error("mongodb://admin:s3cret@db/ failed"));
    assert.equal(converted.status, 500);
    assert.equal(converted.message, "An unexpected error occurred.");
  });
});

describe("errorResponse", () => {
  it("answers with the { error: { code, message, details } } envelope and the code's status", async () => {
    const response = errorResponse(new ApiError("payload_too_large", "too big"));
    assert.equal(response.status, 413);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.deepEqual(await response.json(), {
      error: { code: "payload_too_large", message: "too big", details: null },
    });
  });
});
