import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapLogRecord, readResource, type MappedRecord } from "./map-record";
import { DROPPED_KEY } from "./metadata";
import type { AnyValue, KeyValue } from "./schemas";

const SENDER = "key:0123456789abcdef";
const str = (stringValue: string): AnyValue => ({ stringValue });
const attr = (key: string, value: AnyValue): KeyValue => ({ key, value });

function makeRecord(overrides: Record<string, unknown> = {}, extra: KeyValue[] = []) {
  return {
    timeUnixNano: "1796643618123456789",
    observedTimeUnixNano: "1796643619000000000",
    severityText: "INFO",
    body: str("Failed password for root from 203.0.113.5 port 52144 ssh2"),
    attributes: [
      attr("client.address", str("203.0.113.5")),
      attr("user.name", str("root")),
      attr("event.name", str("ssh_login")),
      attr("event.outcome", str("failure")),
      ...extra,
    ],
    ...overrides,
  };
}

const sshd = readResource({ attributes: [attr("service.name", str("sshd")), attr("host.name", str("bastion-1"))] });
const map = (record: unknown, resource = sshd, sender = SENDER) => mapLogRecord(record, resource, sender);

function inputOf(mapped: MappedRecord) {
  assert.ok("input" in mapped, JSON.stringify(mapped));
  return mapped.input;
}

function problemsOf(mapped: MappedRecord) {
  assert.ok("problems" in mapped, JSON.stringify(mapped));
  return mapped.problems;
}

describe("an OTLP log record as a log", () => {
  it("takes its fields from the semantic-convention attributes, the body and the resource", () => {
    const input = inputOf(map(makeRecord({}, [attr("log.file.name", str("auth.log"))])));
    assert.deepEqual(
      { ...input, log_id: undefined },
      {
        log_id: undefined,
        timestamp: "2026-12-07T11:40:18.123456789Z",
        ip: "203.0.113.5",
        user: "root",
        action: "ssh_login",
        status: "failed",
        source: "sshd",
        message: "Failed password for root from 203.0.113.5 port 52144 ssh2",
        metadata: { log_file_name: "auth.log", severity: "INFO", host_name: "bastion-1" },
      },
    );
  });

  it("falls back to source.address, user.id, enduser.id, eventName and the observed time", () => {
    const record = makeRecord({
      timeUnixNano: "0",
      eventName: "login",
      attributes: [
        attr("source.address", str("2001:db8::1")),
        attr("user.id", { intValue: "1001" }),
        attr("event.outcome", str("success")),
      ],
    });
    const input = inputOf(map(record));
    assert.deepEqual(
      [input.ip, input.user, input.action, input.status, input.timestamp],
      ["2001:db8::1", "1001", "login", "success", "2026-12-07T11:40:19.000Z"],
    );
    const enduser = inputOf(
      map(
        makeRecord({
          attributes: [
            attr("client.address", str("192.0.2.1")),
            attr("enduser.id", str("carol")),
            attr("event.name", str("x")),
            attr("event.outcome", str("success")),
          ],
        }),
      ),
    );
    assert.equal(enduser.user, "carol");
  });

  it("leaves ip out when neither client.address nor source.address is there", () => {
    const input = inputOf(
      map(
        makeRecord({
          attributes: [
            attr("user.name", str("root")),
            attr("event.name", str("su")),
            attr("event.outcome", str("success")),
          ],
        }),
      ),
    );
    assert.equal("ip" in input, false);
  });

  it("takes log.record.uid as the log_id", () => {
    assert.equal(inputOf(map(makeRecord({}, [attr("log.record.uid", str("01JF6Z7Q3K8V"))]))).log_id, "01JF6Z7Q3K8V");
  });

  it("writes a body that is not a string as JSON", () => {
    const body = {
      kvlistValue: {
        values: [
          attr("type", { intValue: "0" }),
          attr("tags", { arrayValue: { values: [str("a"), { boolValue: true }] } }),
        ],
      },
    };
    assert.equal(inputOf(map(makeRecord({ body }))).message, '{"type":0,"tags":["a",true]}');
    assert.equal(inputOf(map(makeRecord({ body: { intValue: 42 } }))).message, "42");
    assert.equal(inputOf(map(makeRecord({ body: undefined }))).message, undefined);
  });

  it("cuts a body longer than a message may be, ending it in …", () => {
    const message = inputOf(map(makeRecord({ body: str("x".repeat(9000)) }))).message!;
    assert.equal(message.length, 8192);
    assert.ok(message.endsWith("x…"));
  });

  it("stores every attribute type as a metadata value", () => {
    const extra = [
      attr("s", str("text")),
      attr("b", { boolValue: false }),
      attr("i", { intValue: "-7" }),
      attr("big", { intValue: "9007199254740993" }),
      attr("d", { doubleValue: 637.704 }),
      attr("nan", { doubleValue: "NaN" }),
      attr("bytes", { bytesValue: "AAE=" }),
      attr("list", { arrayValue: { values: [str("many"), { intValue: 2 }] } }),
      attr("map", { kvlistValue: { values: [attr("some.map.key", str("v")), attr("__proto__", str("p"))] } }),
      attr("empty", {}),
    ];
    const metadata = inputOf(map(makeRecord({ severityText: "" }, extra), readResource({}))).metadata;
    assert.deepEqual(metadata, {
      s: "text",
      b: false,
      i: -7,
      big: "9007199254740993",
      d: 637.704,
      nan: "NaN",
      bytes: "AAE=",
      list: '["many",2]',
      map: '{"some.map.key":"v","__proto__":"p"}',
    });
  });

  it("leaves out attribute keys that are not metadata keys and counts them in dropped_attributes", () => {
    const extra = [
      attr("$where", str("x")),
      attr("k".repeat(65), str("x")),
      attr("a.b", str("first")),
      attr("a_b", str("second")),
    ];
    const metadata = inputOf(map(makeRecord({ severityText: "" }, extra), readResource({}))).metadata;
    assert.deepEqual(metadata, { a_b: "first", [DROPPED_KEY]: 3 });
  });

  it("keeps 31 attributes of 40 and says 9 were dropped; cuts long values to 1024 characters", () => {
    const extra = Array.from({ length: 40 }, (_, index) =>
      attr(`attr.${index}`, str(index === 0 ? "y".repeat(2000) : "v")),
    );
    const metadata = inputOf(map(makeRecord({ severityText: "" }, extra), readResource({}))).metadata!;
    assert.equal(Object.keys(metadata).length, 32);
    assert.equal(metadata[DROPPED_KEY], 9);
    assert.equal(metadata.attr_30, "v");
    assert.equal(metadata.attr_31, undefined);
    assert.equal((metadata.attr_0 as string).length, 1024);
  });
});

describe("OTLP log records that are rejected, naming the field", () => {
  it("an event.outcome that is not success or failure, or none", () => {
    const unknown = problemsOf(
      map(
        makeRecord({
          attributes: [
            attr("client.address", str("192.0.2.1")),
            attr("user.name", str("a")),
            attr("event.name", str("x")),
            attr("event.outcome", str("unknown")),
          ],
        }),
      ),
    );
    assert.equal(unknown[0]!.field, 'attributes["event.outcome"]');
    assert.match(unknown[0]!.message, /must be 'success' or 'failed'/);
    const missing = problemsOf(
      map(
        makeRecord({
          attributes: [
            attr("client.address", str("192.0.2.1")),
            attr("user.name", str("a")),
            attr("event.name", str("x")),
          ],
        }),
      ),
    );
    assert.deepEqual(
      missing.map((problem) => problem.field),
      ['attributes["event.outcome"]'],
    );
  });

  it("no user or action, naming the attributes that could give them", () => {
    const problems = problemsOf(
      map(
        makeRecord({ attributes: [attr("client.address", str("192.0.2.1")), attr("event.outcome", str("success"))] }),
      ),
    );
    assert.deepEqual(problems.map((problem) => problem.field).sort(), ['attributes["user.name"]', "eventName"]);
    assert.match(
      problems.find((problem) => problem.field === 'attributes["user.name"]')!.message,
      /is required \(or "user.id", "enduser.id"\)/,
    );
  });

  it("a user given as a kvlist, an ip that is not an address, a wrong attribute type", () => {
    const structured = problemsOf(
      map(
        makeRecord({
          attributes: [
            attr("client.address", str("192.0.2.1")),
            attr("user.name", { kvlistValue: { values: [] } }),
            attr("event.name", str("x")),
            attr("event.outcome", str("success")),
          ],
        }),
      ),
    );
    assert.deepEqual(structured, [
      { field: 'attributes["user.name"]', message: "must be a string, not an array or a kvlist" },
    ]);
    const badIp = problemsOf(
      map(
        makeRecord({
          attributes: [
            attr("client.address", str("not-an-ip")),
            attr("user.name", str("a")),
            attr("event.name", str("x")),
            attr("event.outcome", str("success")),
          ],
        }),
      ),
    );
    assert.equal(badIp[0]!.field, 'attributes["client.address"]');
    const badType = problemsOf(map(makeRecord({ attributes: [{ key: "n", value: { intValue: "12x" } }] })));
    assert.equal(badType[0]!.field, "attributes.0.value.intValue");
  });

  it("no time at all", () => {
    assert.equal(
      problemsOf(map(makeRecord({ timeUnixNano: undefined, observedTimeUnixNano: "0" })))[0]!.field,
      "timeUnixNano",
    );
  });

  it("service.name 'ledgerline', which only Ledgerline's own audit log may use", () => {
    const problems = problemsOf(
      map(makeRecord(), readResource({ attributes: [attr("service.name", str("ledgerline"))] })),
    );
    assert.equal(problems[0]!.field, 'resource.attributes["service.name"]');
  });

  it("every record of a resource that is not one", () => {
    const problems = problemsOf(map(makeRecord(), readResource({ attributes: "none" })));
    assert.equal(problems[0]!.field, "resource.attributes");
  });
});

describe("ids of OTLP records without log.record.uid", () => {
  it("are the same for the same record from the same sender, in either encoding of its numbers", () => {
    const first = inputOf(map(makeRecord({}, [attr("client.port", { intValue: "52144" })])));
    assert.match(first.log_id, /^otlp-[0-9a-f]{32}$/);
    assert.equal(inputOf(map(makeRecord({}, [attr("client.port", { intValue: "52144" })]))).log_id, first.log_id);
    assert.equal(inputOf(map(makeRecord({}, [attr("client.port", { intValue: 52144 })]))).log_id, first.log_id);
  });

  it("differ by time, by content and by sender", () => {
    const id = inputOf(map(makeRecord())).log_id;
    assert.notEqual(inputOf(map(makeRecord({ timeUnixNano: "1796643618123456790" }))).log_id, id);
    assert.notEqual(inputOf(map(makeRecord({ body: str("other") }))).log_id, id);
    assert.notEqual(inputOf(map(makeRecord(), sshd, "key:fedcba9876543210")).log_id, id);
  });
});
