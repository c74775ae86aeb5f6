import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LOG_LIMITS } from "@/lib/records/logs/schemas";
import { mapEcsDocument, mergeMetadata, type MappedDocument } from "./ecs-document";

const EVENT = {
  "@timestamp": "2026-12-07T10:00:00.000Z",
  source: { ip: "203.0.113.9", port: 51022 },
  user: { name: "alice" },
  event: { action: "ssh_login", outcome: "failure", category: ["authentication"] },
  service: { name: "sshd" },
  host: { name: "web-1", os: { family: "debian" } },
  message: "Failed password for alice",
};

function event(mapped: MappedDocument) {
  assert.equal(mapped.kind, "event", JSON.stringify(mapped));
  return mapped as Extract<MappedDocument, { kind: "event" }>;
}

describe("mapEcsDocument", () => {
  it("maps the ECS fields to ours and keeps the rest as metadata joined with '_'", () => {
    const { log, problems } = event(mapEcsDocument(EVENT));
    assert.deepEqual(problems, []);
    assert.deepEqual(log, {
      timestamp: "2026-12-07T10:00:00.000Z",
      ip: "203.0.113.9",
      user: "alice",
      action: "ssh_login",
      status: "failed",
      source: "sshd",
      message: "Failed password for alice",
      metadata: { source_port: 51022, event_category: '["authentication"]', host_name: "web-1" },
    });
  });

  it("keeps fields named like Object.prototype members (toString, hasOwnProperty) as metadata", () => {
    const { log } = event(mapEcsDocument({ ...EVENT, toString: "x", hasOwnProperty: false, valueOf: 0 }));
    assert.deepEqual(log.metadata, {
      source_port: 51022,
      event_category: '["authentication"]',
      host_name: "web-1",
      toString: "x",
      hasOwnProperty: false,
      valueOf: 0,
    });
  });

  it("reads dotted keys as the nested fields they name", () => {
    const dotted = {
      "@timestamp": EVENT["@timestamp"],
      "source.ip": "203.0.113.9",
      "source.port": 51022,
      "user.name": "alice",
      "event.action": "ssh_login",
      "event.outcome": "failure",
      "event.category": ["authentication"],
      "service.name": "sshd",
      "host.name": "web-1",
      "host.os.family": "debian",
      message: "Failed password for alice",
    };
    assert.deepEqual(event(mapEcsDocument(dotted)).log, event(mapEcsDocument(EVENT)).log);
    const { "source.ip": _ip, ...mixed } = dotted;
    assert.deepEqual(
      event(mapEcsDocument({ ...mixed, source: { ip: "203.0.113.9" } })).log,
      event(mapEcsDocument(EVENT)).log,
    );
  });

  it("falls back to client.ip and host.name, and maps success", () => {
    const { log } = event(
      mapEcsDocument({
        client: { ip: "2001:db8::1" },
        user: { name: "bob" },
        event: { action: "login", outcome: "success" },
        host: { name: "web-2" },
      }),
    );
    assert.deepEqual([log.ip, log.source, log.status, log.timestamp], ["2001:db8::1", "web-2", "success", undefined]);
  });

  it("takes @timestamp in epoch milliseconds", () => {
    assert.equal(
      event(mapEcsDocument({ ...EVENT, "@timestamp": Date.UTC(2026, 11, 7, 10) })).log.timestamp,
      "2026-12-07T10:00:00.000Z",
    );
  });

  it("refuses an outcome other than success or failure, naming event.outcome", () => {
    for (const outcome of ["unknown", undefined, 1]) {
      const { problems, log } = event(mapEcsDocument({ ...EVENT, event: { action: "ssh_login", outcome } }));
      assert.equal(problems.length, 1);
      assert.equal(problems[0]!.field, "event.outcome");
      assert.match(problems[0]!.message, /must be 'success' or 'failure'/);
      assert.equal(log.status, undefined);
    }
  });

  it("names where each field came from", () => {
    assert.deepEqual(
      event(mapEcsDocument({ client: { ip: "x" }, user: { name: "a" }, event: { action: "b", outcome: "success" } }))
        .origins,
      {
        ip: "client.ip",
        user: "user.name",
        action: "event.action",
        status: "event.outcome",
      },
    );
  });

  it("leaves the shipper's bookkeeping out of the metadata", () => {
    const { log } = event(
      mapEcsDocument({
        ...EVENT,
        "@version": "1",
        agent: { ephemeral_id: "e1", type: "filebeat" },
        ecs: { version: "8.0.0" },
        input: { type: "log" },
        event: { ...EVENT.event, original: "raw", ingested: "2026-12-07T10:00:01Z", created: "2026-12-07T10:00:01Z" },
        log: { offset: 120, file: { path: "/var/log/auth.log" } },
      }),
    );
    assert.deepEqual(log.metadata, {
      source_port: 51022,
      event_category: '["authentication"]',
      host_name: "web-1",
      log_offset: 120,
      log_file_path: "/var/log/auth.log",
    });
  });

  it("keeps metadata within its limits: values cut with '…', at most 32 keys in document order, no key it cannot hold", () => {
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`field${String(index).padStart(2, "0")}`, index]),
    );
    const { log } = event(
      mapEcsDocument({
        ...EVENT,
        long: "x".repeat(2000),
        emoji: `${"x".repeat(LOG_LIMITS.metadataValue - 2)}😀y`,
        [`${"k".repeat(70)}`]: "too long a key",
        $where: "operator",
        nothing: null,
        objects: [{ a: 1 }],
        ...many,
      }),
    );
    const metadata = log.metadata as Record<string, unknown>;
    assert.equal(Object.keys(metadata).length, LOG_LIMITS.metadataKeys);
    assert.equal((metadata.long as string).length, LOG_LIMITS.metadataValue);
    assert.ok((metadata.long as string).endsWith("…"));
    assert.equal(metadata.emoji, `${"x".repeat(LOG_LIMITS.metadataValue - 2)}…`);
    for (const absent of ["k".repeat(70), "$where", "nothing", "objects", "field30"])
      assert.ok(!(absent in metadata), absent);
    assert.equal(metadata.field00, 0);
  });

  it("reads a document without structured fields as a raw line, with the shipper's time, zone, host and metadata", () => {
    const mapped = mapEcsDocument({
      "@timestamp": "2026-12-07T10:00:02.123Z",
      message: "Dec  7 10:00:01 web-1 sshd[1]: Failed password for root from 203.0.113.9 port 4000 ssh2",
      host: { name: "shipper-host" },
      event: { timezone: "+02:00" },
      log: { offset: 0, file: { path: "/var/log/auth.log" } },
    });
    assert.deepEqual(mapped, {
      kind: "line",
      line: "Dec  7 10:00:01 web-1 sshd[1]: Failed password for root from 203.0.113.9 port 4000 ssh2",
      shipperTime: "2026-12-07T10:00:02.123Z",
      timeZone: "Etc/GMT-2",
      shipperSource: "shipper-host",
      metadata: { log_offset: 0, log_file_path: "/var/log/auth.log" },
    });
    assert.equal(
      (mapEcsDocument({ message: "x", "event.timezone": "europe/paris" }) as { timeZone?: string }).timeZone,
      "Europe/Paris",
    );
  });

  it("refuses a document with neither structured fields nor a message line, or an unknown zone", () => {
    assert.deepEqual(mapEcsDocument({ foo: 1 }), {
      kind: "unmapped",
      problems: [
        {
          field: "message",
          message: "must be a log line when the document has none of event.action, event.outcome, user.name",
        },
      ],
    });
    const zone = mapEcsDocument({ message: "x", event: { timezone: "Mars/Olympus" } });
    assert.equal(zone.kind, "unmapped");
    assert.equal((zone as { problems: { field: string }[] }).problems[0]!.field, "event.timezone");
  });
});

describe("mergeMetadata", () => {
  it("keeps the first's keys and adds the second's it lacks, within the key limit", () => {
    assert.deepEqual(mergeMetadata({ host: "a" }, { host: "b", log_offset: 1 }), { host: "a", log_offset: 1 });
    assert.equal(mergeMetadata(undefined, {}), undefined);
    const full = Object.fromEntries(
      Array.from({ length: LOG_LIMITS.metadataKeys }, (_, index) => [`k${index}`, index]),
    );
    assert.deepEqual(mergeMetadata(full, { extra: 1 }), full);
    assert.deepEqual(mergeMetadata({ host: "a" }, { toString: "x" }), { host: "a", toString: "x" });
  });
});
