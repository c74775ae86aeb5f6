import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateCheckpointKeySpec, parseCheckpointKeys, publicKeySetFromSigner } from "@/lib/integrity/checkpoint-keys";
import { AlertLine, BACKUP_VERSION, ManifestSchema, UserLine, backupFolderName, expectedDataFiles, signManifest, verifyManifestSignature, type Manifest } from "./format";

const signer = parseCheckpointKeys(generateCheckpointKeySpec("k1"), undefined);
const publicKeys = publicKeySetFromSigner(signer);

function makeManifest(): Manifest {
  return signManifest(
    {
      format: BACKUP_VERSION,
      created_at: "2026-01-31T10:00:00.000Z",
      source_database: "secure_logs",
      counts: { logs: 3, checkpoints: 1, purges: 0, users: 1, api_keys: 0, alerts: 0, totp_factors: 1 },
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
  const v1 = { ...makeManifest(), format: "ledgerline/backup/v1", counts: { logs: 3, checkpoints: 1, purges: 0, users: 1, api_keys: 0, alerts: 0 } };

  it("are optional in version 1, which then lists no file of them, and required in version 2", () => {
    assert.equal(ManifestSchema.safeParse(v1).success, true);
    assert.equal(expectedDataFiles(v1).includes("totp_factors.ndjson"), false);
    assert.equal(expectedDataFiles(makeManifest()).includes("totp_factors.ndjson"), true);
    const { totp_factors: _count, ...counts } = makeManifest().counts;
    assert.deepEqual(ManifestSchema.safeParse({ ...makeManifest(), counts }).error?.issues[0]?.path, ["counts", "totp_factors"]);
  });

  it("are counted when a version 1 manifest lists their file", () => {
    const listed = { ...v1, files: [...v1.files, { name: "totp_factors.ndjson", lines: 0, bytes: 0, sha256: "c".repeat(64) }] };
    assert.equal(ManifestSchema.safeParse(listed).success, false);
    assert.equal(ManifestSchema.safeParse({ ...listed, counts: { ...v1.counts, totp_factors: 0 } }).success, true);
  });

  it("are signed when counted, and a manifest without them signs without them", () => {
    const { signature: _signature, ...body } = v1 as Manifest;
    const signed = signManifest(body, signer);
    assert.equal(verifyManifestSignature(signed, publicKeys), "valid");
    assert.equal(verifyManifestSignature({ ...signed, counts: { ...signed.counts, totp_factors: 0 } }, publicKeys), "invalid");
  });
});

describe("backup lines", () => {
  it("read ISO dates back as Dates and refuse any other spelling", () => {
    const user = { _id: "u1", email: "a@example.com", name: "a", role: "admin", password_hash: "scrypt$…", created_at: "2026-01-31T10:00:00.000Z", updated_at: "2026-01-31T10:00:00.000Z", password_changed_at: "2026-01-31T10:00:00.000Z", disabled_at: null };
    assert.deepEqual(UserLine.parse(user).created_at, new Date("2026-01-31T10:00:00.000Z"));
    assert.equal(UserLine.safeParse({ ...user, created_at: "31/01/2026" }).success, false);
    assert.equal(UserLine.safeParse({ ...user, role: "root" }).success, false);
  });

  it("keep fields they do not know, so a newer collection shape survives a restore", () => {
    const alert = AlertLine.parse({
      _id: "a1", type: "failure_burst", severity: "high", start: "2026-01-31T10:00:00.000Z", end: "2026-01-31T10:01:00.000Z", count: 5, log_ids: [], explanation: "x",
      subject_key: "k", status: "open", created_at: "2026-01-31T10:01:00.000Z", updated_at: "2026-01-31T10:01:00.000Z", history: [], assignee: "bob",
    });
    assert.equal(alert.assignee, "bob");
  });
});

describe("backupFolderName", () => {
  it("holds the time without characters file systems refuse", () => {
    assert.equal(backupFolderName(new Date("2026-01-31T10:00:00.123Z")), "ledgerline-backup-2026-01-31T10-00-00-123Z");
  });
});
