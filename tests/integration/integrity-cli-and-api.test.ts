// npm run checkpoint / npm run verify as operators run them, and the public
// integrity endpoints, against one database.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as head from "@/app/api/integrity/head/route";
import * as integrity from "@/app/api/integrity/route";
import * as publicKey from "@/app/api/integrity/public-key/route";
import { getDb } from "@/lib/platform/db/client";
import { getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromJson } from "@/lib/records/integrity/checkpoint-keys";
import { verifyCheckpoint } from "@/lib/records/integrity/checkpoint-record";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { runScript as run } from "./support/cli";
import { call } from "./support/http";
import { makeLogInputs } from "./support/log-inputs";

setupAppDatabase("integrity_cli");

let db: Db;
before(async () => {
  db = await getDb();
});

describe("integrity from the command line and the public API", () => {
  it("publishes the public keys and the signed head without sign-in, and verify exits 0, then 1 after tampering", async () => {
    assert.equal((await call(head.GET, "GET", "/api/integrity/head")).status, 404);

    await ingestLogs(db, makeLogInputs(12) as LogInput[], {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
    const written = run("checkpoint", "--json");
    assert.equal(written.code, 0, written.stderr);
    const checkpoint = JSON.parse(written.stdout);
    assert.equal(checkpoint.number, 1);
    assert.equal(checkpoint.log_count, 12);

    const keys = await call(publicKey.GET, "GET", "/api/integrity/public-key");
    assert.equal(keys.status, 200);
    assert.equal(keys.body.keys[0].active, true);
    assert.match(keys.body.keys[0].pem, /^-----BEGIN PUBLIC KEY-----/);
    const latest = await call(head.GET, "GET", "/api/integrity/head");
    assert.equal(latest.status, 200);
    // What anyone can check with the published key alone:
    assert.equal(verifyCheckpoint(latest.body, publicKeySetFromJson(keys.body)).verdict, "valid");

    const clean = run("verify", "--json");
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.equal(JSON.parse(clean.stdout).checked, 12);
    const readKey = await createTestApiKey(db, ["read"]);
    assert.equal((await call(integrity.GET, "GET", "/api/integrity")).status, 401);
    const stored = await call(integrity.GET, "GET", "/api/integrity", { key: readKey });
    assert.equal(stored.status, 200);
    assert.equal(stored.body.ok, true);
    assert.equal(stored.body.run_by, "cli");
    assert.equal(await logsCollection(db).countDocuments({ action: "integrity_verified", source: "ledgerline" }), 1);

    const headFile = path.join(mkdtempSync(path.join(tmpdir(), "ledgerline-head-")), "head.json");
    assert.equal(run("checkpoint", "--head", "--out", headFile).code, 0);
    assert.equal(JSON.parse(readFileSync(headFile, "utf8")).number, 1);
    const sinceHead = run("verify", "--since-head", headFile);
    assert.equal(sinceHead.code, 0, sinceHead.stdout + sinceHead.stderr);
    assert.match(sinceHead.stdout, /history extends the saved head \(checkpoint 1\) unchanged/);
    assert.equal(run("verify", "--since-head", `${headFile}.missing`).code, 2);

    const victim = await logsCollection(db).findOne({ source: { $ne: "ledgerline" } });
    await logsCollection(db).updateOne(
      { _id: victim!._id },
      { $set: { status: victim!.status === "failed" ? "success" : "failed" } },
    );
    const tampered = run("verify");
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, new RegExp(`edited\\s+sequence ${victim!.sequence} \\(${victim!._id}\\)`));
    assert.equal(run("verify", "--frobnicate").code, 2);
  });
});
