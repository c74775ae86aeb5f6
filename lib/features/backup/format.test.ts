import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  generateCheckpointKeySpec,
  parseCheckpointKeys,
  publicKeySetFromSigner,
} from "@/lib/records/integrity/checkpoint-keys";
import {
  AlertLine,
  BACKUP_VERSION,
  ManifestSchema,
  SuppressionRuleLine,
  UserLine,
  backupFolderName,
  expectedDataFiles,
  signManifest,
  verifyManifestSignature,
  type Manifest,
} from "./format";

const signer = parseCheckpointKeys(generateCheckpointKeySpec("k1"), undefined);
const publicKeys = publicKeySetFromSigner(signer);

function makeManifest(): Manifest {
  return signManifest(
    {
      format: BACKUP_VERSION,
      created_at: "2026-01-31T10:00:00.000Z",
      source_database: "secure_logs",
      counts: {
        logs: 3,
        checkpoints: 1,
        purges: 0,
        users: 1,
        api_keys: 0,
        alerts: 0,
        suppression_rules: 2,
        totp_factors: 1,
      },
      files: [
        { name: "logs.ndjson", lines: 6, bytes: 2048, sha256: "a".repeat(64) },
        { name: "users.ndjson", lines: 1, bytes: 300, sha256: "b".repeat(64) },
      ],
    },
    signer,
  );
}

describe("the manifest signature", () => {
  it("verifies the manifest as signed", () => {
    assert.equal(verifyManifestSignature(makeManifest(), publicKeys), "valid");
  });

  it("fails when a count, a file's digest or the database name changes", () => {
    const changes: ((manifest: Manifest) => void)[] = [
      (m) => (m.counts.users = 2),
      (m) => (m.counts.totp_factors = 0),
      (m) => (m.counts.suppression_rules = 0),
      (m) => (m.files[1]!.sha256 = "c".repeat(64)),
      (m) => (m.files[0]!.lines = 7),
      (m) => (m.source_database = "other"),
      (m) => m.files.pop(),
    ];
    for (const change of changes) {
      const manifest = structuredClone(makeManifest());
      change(manifest);
      assert.equal(verifyManifestSignature(manifest, publicKeys), "invalid");
    }
  });

  it("names a key it does not know", () => {
    const other = publicKeySetFromSigner(parseCheckpointKeys(generateCheckpointKeySpec("k2"), undefined));
    assert.equal(verifyManifestSignature(makeManifest(), other), "unknown_key");
  });
});

describe("the manifest's TOTP factors", () => {
  const v1 = {
    ...makeManifest(),
    format: "ledgerline/backup/v1",
    counts: { logs: 3, checkpoints: 1, purges: 0, users: 1, api_keys: 0, alerts: 0 },
  };

  it("are optional in version 1, which then lists no file of them, and required in version 2", () => {
    assert.equal(ManifestSchema.safeParse(v1).success, true);
    assert.equal(expectedDataFiles(v1).includes("totp_factors.ndjson"), false);
    assert.equal(expectedDataFiles(makeManifest()).includes("totp_factors.ndjson"), true);
    const { totp_factors: _count, ...counts } = makeManifest().counts;
    assert.deepEqual(ManifestSchema.safeParse({ ...makeManifest(), counts }).error?.issues[0]?.path, [
      "counts",
      "totp_factors",
    ]);
    const v2 = { ...makeManifest(), format: "ledgerline/backup/v2", counts: { ...v1.counts, totp_factors: 1 } };
    assert.equal(ManifestSchema.safeParse(v2).success, true);
  });

  it("are counted when a version 1 manifest lists their file", () => {
    const listed = {
      ...v1,
      files: [...v1.files, { name: "totp_factors.ndjson", lines: 0, bytes: 0, sha256: "c".repeat(64) }],
    };
    assert.equal(ManifestSchema.safeParse(listed).success, false);
    assert.equal(ManifestSchema.safeParse({ ...listed, counts: { ...v1.counts, totp_factors: 0 } }).success, true);
  });
});

describe("the manifest's suppression rules", () => {
  const { suppression_rules: _count, ...counts } = makeManifest().counts;
  const v2 = { ...makeManifest(), format: "ledgerline/backup/v2", counts };

  it("are optional up to version 2, which then lists no file of them, and required in version 3", () => {
    assert.equal(ManifestSchema.safeParse(v2).success, true);
    assert.equal(expectedDataFiles(v2).includes("suppression_rules.ndjson"), false);
    assert.equal(expectedDataFiles(makeManifest()).includes("suppression_rules.ndjson"), true);
    const issue = ManifestSchema.safeParse({ ...makeManifest(), counts }).error?.issues[0];
    assert.deepEqual(
      [issue?.path, issue?.message],
      [["counts", "suppression_rules"], "is required: the format is ledgerline/backup/v3"],
    );
  });

  it("are counted when an older manifest lists their file", () => {
    const listed = {
      ...v2,
      files: [...v2.files, { name: "suppression_rules.ndjson", lines: 0, bytes: 0, sha256: "c".repeat(64) }],
    };
    assert.equal(
      ManifestSchema.safeParse(listed).error?.issues[0]?.message,
      "is required: files lists suppression_rules.ndjson",
    );
    assert.equal(ManifestSchema.safeParse({ ...listed, counts: { ...v2.counts, suppression_rules: 0 } }).success, true);
  });
});

describe("an older manifest", () => {
  it("signs without the counts it lacks, and a count added breaks the signature", () => {
    for (const count of ["totp_factors", "suppression_rules"] as const) {
      const {
        signature: _signature,
        counts: { [count]: _count, ...counts },
        ...body
      } = makeManifest();
      const signed = signManifest({ ...body, format: "ledgerline/backup/v1", counts }, signer);
      assert.equal(verifyManifestSignature(signed, publicKeys), "valid");
      assert.equal(
        verifyManifestSignature({ ...signed, counts: { ...signed.counts, [count]: 0 } }, publicKeys),
        "invalid",
        count,
      );
    }
  });
});

describe("backup lines", () => {
  it("read ISO dates back as Dates and refuse any other spelling", () => {
    const user = {
      _id: "u1",
      email: "a@example.com",
      name: "a",
      role: "admin",
      password_hash: "scrypt$…",
      created_at: "2026-01-31T10:00:00.000Z",
      updated_at: "2026-01-31T10:00:00.000Z",
      password_changed_at: "2026-01-31T10:00:00.000Z",
      disabled_at: null,
    };
    assert.deepEqual(UserLine.parse(user).created_at, new Date("2026-01-31T10:00:00.000Z"));
    assert.equal(UserLine.safeParse({ ...user, created_at: "31/01/2026" }).success, false);
    assert.equal(UserLine.safeParse({ ...user, role: "root" }).success, false);
  });

  it("keep fields they do not know, so a newer collection shape survives a restore", () => {
    const alert = AlertLine.parse({
      _id: "a1",
      type: "failure_burst",
      severity: "high",
      start: "2026-01-31T10:00:00.000Z",
      end: "2026-01-31T10:01:00.000Z",
      count: 5,
      log_ids: [],
      explanation: "x",
      subject_key: "k",
      status: "open",
      created_at: "2026-01-31T10:01:00.000Z",
      updated_at: "2026-01-31T10:01:00.000Z",
      history: [],
      assignee: "bob",
    });
    assert.equal(alert.assignee, "bob");
  });
});

describe("suppression rule lines", () => {
  const rule = {
    _id: "r1",
    type: null,
    ip: "203.0.113.0/24",
    user: null,
    source: null,
    reason: "pen test",
    created_by: "analyst@example.com",
    created_at: "2026-01-31T10:00:00.000Z",
    expires_at: null,
    removed_at: "2026-02-01T10:00:00.000Z",
    removed_by: "admin@example.com",
  };

  it("read a removed rule's removal back with its dates", () => {
    const parsed = SuppressionRuleLine.parse(rule);
    assert.deepEqual(
      [parsed.removed_at, parsed.removed_by, parsed.expires_at],
      [new Date("2026-02-01T10:00:00.000Z"), "admin@example.com", null],
    );
    const { removed_at: _at, removed_by: _by, ...active } = rule;
    assert.equal(SuppressionRuleLine.parse(active).removed_at, undefined);
  });

  it("refuse half a removal and an unknown finding type, naming the field", () => {
    const { removed_by: _by, ...halfRemoved } = rule;
    assert.deepEqual(
      SuppressionRuleLine.safeParse(halfRemoved).error?.issues.map((issue) => [issue.path, issue.message]),
      [[["removed_by"], "is required with removed_at"]],
    );
    assert.deepEqual(SuppressionRuleLine.safeParse({ ...rule, type: "everything" }).error?.issues[0]?.path, ["type"]);
  });
});

describe("backupFolderName", () => {
  it("holds the time without characters file systems refuse", () => {
    assert.equal(backupFolderName(new Date("2026-01-31T10:00:00.123Z")), "ledgerline-backup-2026-01-31T10-00-00-123Z");
  });
});
