// Durability of the embedded server: an acknowledged write survives a hard
// kill (no clean shutdown), because the launcher opens SQLite with
// synchronous(full). This file starts servers of its own on a temp folder.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import { startEmbeddedDb, type EmbeddedDb } from "@/scripts/lib/embedded-db";
import { makeLog, type TestLog } from "./support/factories";

const COUNT = 1_000;

describe("embedded server durability", () => {
  let dataDir: string;
  const servers: EmbeddedDb[] = [];
  const clients: MongoClient[] = [];

  async function connect(server: EmbeddedDb) {
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5_000 });
    clients.push(client);
    await client.connect();
    return client.db("durability").collection<TestLog>("logs");
  }

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ledgerline-durability-"));
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.stop("SIGKILL")));
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps all 1,000 acknowledged inserts after SIGKILL and a restart on the same port and folder", async () => {
    const first = await startEmbeddedDb({ port: 0, dataDir, stderr: "ignore" });
    servers.push(first);
    const logsBefore = await connect(first);
    const acknowledged: string[] = [];
    for (let sequence = 1; sequence <= COUNT; sequence++) {
      const result = await logsBefore.insertOne(makeLog({ sequence }));
      assert.equal(result.acknowledged, true);
      acknowledged.push(result.insertedId);
    }

    await first.stop("SIGKILL");
    assert.equal(first.process.signalCode, "SIGKILL", "the server was killed, not shut down");

    const second = await startEmbeddedDb({ port: first.port, dataDir, stderr: "ignore" });
    servers.push(second);
    assert.equal(second.port, first.port);
    const logsAfter = await connect(second);

    const stored = await logsAfter.find({}, { projection: { _id: 1 } }).toArray();
    assert.deepEqual(stored.map((log) => log._id).sort(), acknowledged.toSorted());
    assert.deepEqual(await logsAfter.findOne({ _id: `log-${COUNT}` }), makeLog({ sequence: COUNT }));
  });
});
