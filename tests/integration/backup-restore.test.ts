// Backup and restore: a backup restores into an empty database identical to
// its origin and verifies clean (purged ranges included), restores into its
// origin by adding only what is missing, refuses a tampered archive and a
// database with other history (writing nothing), and without the HMAC keyring
// reports logs as unverifiable, never tampered. Users keep their TOTP factor;
// suppression rules keep their state (active, expired, removed) and still mute
// new findings. A version 2 backup, which holds no rules, still restores.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db } from "mongodb";
import { alertsCollection, countOpenAlerts } from "@/lib/derived/alerts/alert-record";
import { ruleStateAt, SuppressionRuleCreate, type SuppressionRule } from "@/lib/derived/alerts/suppression-rules";
import {
  createSuppressionRule,
  readSuppressionRules,
  removeSuppressionRule,
} from "@/lib/derived/alerts/suppression-store";
import { CLI_ACTOR } from "@/lib/records/audit/security-events";
import { signIn } from "@/lib/records/auth/sign-in";
import { confirmTotpEnrolment, startTotpEnrolment } from "@/lib/records/auth/totp";
import { createUser } from "@/lib/records/auth/users";
import { writeBackup } from "@/lib/features/backup/write-backup";
import { BACKUP_FILES, signManifest, type Manifest } from "@/lib/features/backup/format";
import { restoreBackup } from "@/lib/features/backup/restore";
import { verifyBackup } from "@/lib/features/backup/verify-backup";
import { getConfig } from "@/lib/foundation/config";
import { COLLECTIONS } from "@/lib/platform/db/collections";
import { openAlertCount } from "@/lib/derived/alerts/open-count";
import { rebuildRollups } from "@/lib/derived/rollups/rebuild";
import { allPeriodDocs } from "@/lib/derived/rollups/period-docs";
import { closeMongoClient, getDb, getMongoClient } from "@/lib/platform/db/client";
import { ensureIndexes } from "@/lib/platform/db/indexes";
import { getCheckpointSigner, getKeyring } from "@/lib/records/integrity/active-keyring";
import { publicKeySetFromSigner } from "@/lib/records/integrity/checkpoint-keys";
import { checkpointsCollection } from "@/lib/records/integrity/checkpoints";
import { writeCheckpoint } from "@/lib/ledger/checkpoint-pipeline";
import { verifyStoredLogs } from "@/lib/records/integrity/verify";
import { logsCollection } from "@/lib/records/logs/collection";
import { ingestLogs } from "@/lib/records/logs/ingest";
import type { LogInput } from "@/lib/records/logs/schemas";
import { runRetention } from "@/lib/features/retention/run-retention";
import { readMisplacedLogs } from "@/lib/records/logs/misplaced-logs";
import type { LogFilter } from "@/lib/records/logs/filters";
import { readWholeLayout } from "@/lib/derived/search/read";
import { assertPagesMatchLogs } from "./support/search-layout";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { runScript, runScriptWithEnv } from "./support/cli";
import { makeLogInputs } from "./support/log-inputs";
import { awayFromStepEnd, totpCode } from "./support/totp";

const EXPLORER_FILTERS: LogFilter[] = [
  { limit: 4, sort: "desc", format: "csv" },
  { limit: 3, sort: "asc", format: "csv", status: ["failed"] },
  { limit: 5, sort: "desc", format: "csv", status: ["success"], exclude: { action: ["logout"] } },
];
setupAppDatabase("backup");

const DAY = 86_400_000;
const now = Date.now();
const dir = mkdtempSync(path.join(tmpdir(), "ledgerline-backup-test-"));
const extraDatabases: string[] = [];
let origin: Db;
let folder: string;
const ADMIN = { email: "admin@example.com", password: "an admin's long password" };
let adminTotpSecret: string;
/** A range no generated log comes from: only the test's own failures fall in it. */
const MUTED_RANGE = "2001:db8:bac::/48";
const MUTED_IP = "2001:db8:bac::7";
const RULE_STATES = { active: "", expired: "", removed: "" };

const keys = () => ({ publicKeys: publicKeySetFromSigner(getCheckpointSigner()), keyring: getKeyring() });
const ingest = (db: Db, count: number, overrides: Record<string, unknown> = {}) =>
  ingestLogs(db, makeLogInputs(count, overrides) as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
const checkpoint = (db: Db, at = new Date()) =>
  writeCheckpoint(db, { signer: getCheckpointSigner(), voidAfterMs: 120_000, now: at });
const verify = (db: Db) => verifyStoredLogs(db, keys());
const restore = (db: Db, from = folder) => restoreBackup(db, from, keys(), CLI_ACTOR);

async function freshDb(label: string): Promise<Db> {
  const name = `test_restore_${label}_${randomBytes(4).toString("hex")}`;
  extraDatabases.push(name);
  const db = (await getMongoClient()).db(name);
  await ensureIndexes(db);
  return db;
}

/** Everything a backup carries, as stored, for comparing databases. */
async function contents(db: Db, maxSequence = Number.MAX_SAFE_INTEGER) {
  const all = (name: string, filter = {}) => db.collection(name).find(filter).sort({ _id: 1 }).toArray();
  return {
    logs: await logsCollection(db)
      .find({ sequence: { $lte: maxSequence } })
      .sort({ sequence: 1 })
      .toArray(),
    checkpoints: await all(COLLECTIONS.checkpoints),
    purges: await all(COLLECTIONS.purges),
    users: await all(COLLECTIONS.users),
    api_keys: await all(COLLECTIONS.apiKeys),
    alerts: await all(COLLECTIONS.alerts),
    totp_factors: await all(COLLECTIONS.totpFactors),
    suppression_rules: await all(COLLECTIONS.suppressionRules),
    suppression_removals: await all(COLLECTIONS.suppressionRemovals),
    // Counted through different checkpoints (live: the last one touching each period; rebuilt: the last one).
    rollups: (await allPeriodDocs(db)).map(({ through: _through, through_end: _end, ...counts }) => counts),
  };
}

async function copyOfBackup(): Promise<string> {
  const copy = path.join(mkdtempSync(path.join(dir, "copy-")), path.basename(folder));
  cpSync(folder, copy, { recursive: true });
  return copy;
}

function editLines(file: string, edit: (lines: string[]) => void): void {
  const lines = readFileSync(file, "utf8").split("\n");
  edit(lines);
  writeFileSync(file, lines.join("\n"));
}

after(async () => {
  const client = await getMongoClient();
  for (const name of extraDatabases) await client.db(name).dropDatabase();
  await closeMongoClient();
  rmSync(dir, { recursive: true, force: true });
});

// Checkpoint 1 (40 days ago) is purged by retention; checkpoint 2 (10 days
// ago) holds a void; checkpoint 3 (now) the retention's own audit log and 8
// more (with the audit logs of users, an administrator with a TOTP factor, an API key and three suppression
// rules: active, expired and removed); then pending logs and an alert.
before(async () => {
  origin = await getDb();
  await ingest(origin, 10);
  await checkpoint(origin, new Date(now - 40 * DAY));
  const repeated = makeLogInputs(1);
  await ingestLogs(origin, [...repeated, ...makeLogInputs(11)] as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
  await ingestLogs(origin, [...repeated, ...makeLogInputs(2)] as LogInput[], {
    keyring: getKeyring(),
    maxFutureSkewMs: 300_000,
    ingestedBy: "cli:test",
  });
  await checkpoint(origin, new Date(now - 10 * DAY));
  await runRetention(origin, {
    retentionMs: 30 * DAY,
    signer: getCheckpointSigner(),
    actor: CLI_ACTOR,
    now: new Date(now),
  });
  await ingest(origin, 8, { timestamp: undefined });
  await createUser(origin, { email: "auditor@example.com", role: "viewer" }, "correct horse battery staple", CLI_ACTOR);
  const admin = await createUser(origin, { email: ADMIN.email, role: "admin" }, ADMIN.password, CLI_ACTOR);
  adminTotpSecret = (await startTotpEnrolment(origin, admin)).secret;
  await awayFromStepEnd();
  // The previous step's code leaves the current one for signing in after a restore.
  await confirmTotpEnrolment(origin, admin, totpCode(adminTotpSecret, -1));
  await createTestApiKey(origin);
  const analyst = { user: "analyst@example.com" };
  const rule = (input: object, at?: Date) =>
    createSuppressionRule(origin, SuppressionRuleCreate.parse(input), analyst, at);
  RULE_STATES.active = (await rule({ ip: MUTED_RANGE, reason: "pen test", expires_in_days: 7 }))._id;
  RULE_STATES.expired = (
    await rule(
      { type: "failure_burst", user: "svc-backup", reason: "nightly job", expires_in_days: 1 },
      new Date(now - 2 * DAY),
    )
  )._id;
  RULE_STATES.removed = (await rule({ type: "unknown_network", ip: "198.51.100.0/24", reason: "office move" }))._id;
  await removeSuppressionRule(origin, RULE_STATES.removed, analyst);
  await checkpoint(origin);
  await ingest(origin, 5);
  await alertsCollection(origin).insertOne({
    _id: "alert-1",
    type: "failure_burst",
    severity: "high",
    ip: "203.0.113.66",
    start: new Date(now - 60_000),
    end: new Date(now),
    count: 12,
    log_ids: ["a", "b"],
    explanation: "12 failed logins in 1 minute",
    subject_key: '["failure_burst","203.0.113.66",null]',
    status: "acknowledged",
    created_at: new Date(now),
    updated_at: new Date(now),
    history: [{ status: "acknowledged", by: "auditor@example.com", at: new Date(now), note: "looking" }],
  });
  // An alert stored by hand is counted by a rebuild (a restore rebuilds too).
  await rebuildRollups(origin);
  assert.deepEqual((await verify(origin)).problems, []);
  ({ folder } = await writeBackup(origin, {
    outDir: dir,
    databaseName: getConfig().mongodbDb,
    signer: getCheckpointSigner(),
    maxFutureSkewMs: 300_000,
  }));
});

describe("npm run backup", () => {
  it("writes plain NDJSON files and a signed manifest with counts and digests, and no secret", async () => {
    assert.deepEqual(readdirSync(folder).sort(), Object.values(BACKUP_FILES).sort());
    const manifest = JSON.parse(readFileSync(path.join(folder, BACKUP_FILES.manifest), "utf8")) as Manifest;
    const stored = await contents(origin);
    assert.deepEqual(manifest.counts, {
      logs: stored.logs.length,
      checkpoints: 3,
      purges: 1,
      users: 2,
      api_keys: 1,
      alerts: stored.alerts.length,
      suppression_rules: 3,
      totp_factors: 1,
    });
    assert.equal(manifest.source_database, getConfig().mongodbDb);
    const user = JSON.parse(readFileSync(path.join(folder, BACKUP_FILES.users), "utf8").split("\n")[0]!);
    assert.equal(user.password_hash, stored.users[0]!.password_hash);
    assert.equal(user.created_at, (stored.users[0]!.created_at as Date).toISOString());
    const factor = JSON.parse(readFileSync(path.join(folder, BACKUP_FILES.totpFactors), "utf8"));
    assert.equal(factor.secret, stored.totp_factors[0]!.secret);
    // One line per rule by id, a removed rule with its removal.
    const rules = readFileSync(path.join(folder, BACKUP_FILES.suppressionRules), "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      rules.map((rule) => rule._id),
      Object.values(RULE_STATES).sort(),
    );
    const removal = stored.suppression_removals[0]!;
    assert.deepEqual(
      rules.map((rule) => rule.removed_at ?? null),
      rules.map((rule) => (rule._id === RULE_STATES.removed ? (removal.removed_at as Date).toISOString() : null)),
    );
    assert.equal(rules.find((rule) => rule._id === RULE_STATES.removed).removed_by, "analyst@example.com");
    const everything = readdirSync(folder)
      .map((name) => readFileSync(path.join(folder, name), "utf8"))
      .join("\n");
    for (const secret of [
      process.env.LEDGERLINE_HMAC_KEYS!,
      process.env.LEDGERLINE_CHECKPOINT_KEYS!,
      process.env.SESSION_SECRET!,
      process.env.LEDGERLINE_TOTP_KEY!,
      adminTotpSecret,
    ]) {
      assert.ok(!everything.includes(secret.split(":").at(-1)!), "a secret key is in the backup");
    }
    const check = await verifyBackup(folder, keys());
    assert.deepEqual(check.problems, []);
    assert.equal(check.ok, true);
  });
});

describe("npm run restore", () => {
  it("round trip: backup, restore into an empty database, verify clean, same contents; ingestion carries on", async () => {
    const before = await contents(origin);
    const maxSequence = before.logs.at(-1)!.sequence;
    const backedUp = runScript("backup", "--out", dir, "--json");
    assert.equal(backedUp.code, 0, backedUp.stderr);
    const target = await freshDb("roundtrip");
    const restored = runScriptWithEnv(
      { MONGODB_DB: target.databaseName },
      "restore",
      JSON.parse(backedUp.stdout).folder,
    );
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /Restored into an empty database/);
    assert.match(restored.stdout, /totp_factors\s+1 added, 0 already present/);
    assert.match(
      restored.stdout,
      /suppression_rules\s+3 added, 0 already present\n[\s\S]*\n {2}1 suppression rule removals added: the rules removed in the backup are removed here too\./,
    );
    assert.doesNotMatch(restored.stdout, /WARNING/);
    const [, days] = /Per-user baselines rebuilt: (\d+) days from \d+ successful logs\./.exec(restored.stdout) ?? [];
    assert.ok(Number(days) > 0, restored.stdout);
    assert.equal(await target.collection(COLLECTIONS.baselines).countDocuments(), Number(days));

    assert.deepEqual(await contents(target, maxSequence), before);
    // The explorer reads the rebuilt search layout, and its pages agree with the restored logs.
    assert.ok(await readWholeLayout(target));
    await assertPagesMatchLogs(target, EXPLORER_FILTERS);
    // The restored alert was acknowledged before the backup, with no recorded change in this database.
    assert.deepEqual(await openAlertCount(target), { count: await countOpenAlerts(target), complete: true });
    assert.equal(await logsCollection(target).countDocuments({ action: "backup_restored" }), 1);
    const report = await verify(target);
    assert.deepEqual(report.problems, []);
    assert.equal(report.purged_through_sequence, (await verify(origin)).purged_through_sequence);

    // The administrator's second factor came along: the password alone is not enough, the app's current code is.
    assert.deepEqual(await signIn(target, ADMIN), { ok: false, reason: "second_factor_required" });
    await awayFromStepEnd();
    const signedIn = await signIn(target, { ...ADMIN, code: { kind: "totp", code: totpCode(adminTotpSecret) } });
    assert.equal(signedIn.ok, true);

    await ingest(target, 3);
    const { checkpoint: next } = await checkpoint(target);
    assert.equal(next.number, 4);
    assert.equal(
      next.end_sequence,
      (await logsCollection(target).find().sort({ sequence: -1 }).limit(1).toArray())[0]!.sequence + 1,
    );
    const after = await verify(target);
    assert.deepEqual(after.problems, []);
    assert.equal(after.pending, 0);
  });

  it("restores into its origin by adding only what is missing", async () => {
    const logs = await logsCollection(origin).find().sort({ sequence: 1 }).toArray();
    const lastCheckpoint = (await checkpointsCollection(origin).find().sort({ _id: -1 }).limit(1).toArray())[0]!;
    const victims = [
      logs[0]!,
      logs.find((log) => log.sequence === lastCheckpoint.start_sequence + 2)!,
      logs.find((log) => log.sequence >= lastCheckpoint.end_sequence)!,
    ];
    await logsCollection(origin).deleteMany({ _id: { $in: victims.map((log) => log._id) } });
    assert.equal((await verify(origin)).ok, false);

    const result = await restore(origin);
    assert.equal(result.status, "restored");
    assert.equal(result.mode, "merge");
    assert.equal(result.added.logs, 3);
    assert.equal(
      result.added.checkpoints +
        result.added.users +
        result.added.alerts +
        result.added.suppression_rules +
        result.added.totp_factors,
      0,
    );
    assert.deepEqual([result.already_present.suppression_rules, result.suppression_removals_added], [3, 0]);
    assert.ok(result.already_present.logs > 20);
    assert.equal(result.already_present.totp_factors, 1);
    for (const victim of victims) assert.deepEqual(await logsCollection(origin).findOne({ _id: victim._id }), victim);
    assert.deepEqual(result.verification!.problems, []);
    // Inserted after newer logs: listed, so in-order readers merge them in without the server sorting.
    assert.deepEqual(
      await readMisplacedLogs(origin),
      victims.map((log) => [log._id, log.sequence]),
    );
    assert.ok(await readWholeLayout(origin));
    await assertPagesMatchLogs(origin, EXPLORER_FILTERS);
  });

  it("restores the suppression rules active, expired and removed as they were, and the active one mutes new findings", async () => {
    const target = await freshDb("rules");
    const result = await restore(target);
    assert.equal(result.status, "restored");
    assert.deepEqual([result.added.suppression_rules, result.suppression_removals_added], [3, 1]);
    const byId = (rules: SuppressionRule[]) => rules.sort((a, b) => (a._id < b._id ? -1 : 1));
    assert.deepEqual(byId(await readSuppressionRules(target)), byId(await readSuppressionRules(origin)));
    const at = new Date();
    const states = Object.fromEntries(
      (await readSuppressionRules(target)).map((rule) => [rule._id, ruleStateAt(rule, at)]),
    );
    assert.deepEqual(states, {
      [RULE_STATES.active]: "active",
      [RULE_STATES.expired]: "expired",
      [RULE_STATES.removed]: "removed",
    });

    // Failed sign-ins against six users within three minutes, from an address the active rule covers and one the
    // removed rule covered.
    const failures = (ip: string) =>
      Array.from({ length: 6 }, (_, i) => ({
        timestamp: new Date(now - 30 * 60_000 + i * 30_000).toISOString(),
        ip,
        user: `user-${ip}-${i}`,
        action: "login_attempt",
        status: "failed",
      }));
    await ingestLogs(target, [...failures(MUTED_IP), ...failures("198.51.100.9")] as LogInput[], {
      keyring: getKeyring(),
      maxFutureSkewMs: 300_000,
      ingestedBy: "cli:test",
    });
    await checkpoint(target);
    const muted = await alertsCollection(target).find({ ip: MUTED_IP }).toArray();
    assert.ok(muted.length > 0, "the failures raise findings");
    assert.deepEqual(
      muted.map((alert) => [alert.status, alert.suppressed_by]),
      muted.map(() => ["suppressed", RULE_STATES.active]),
    );
    const loud = await alertsCollection(target).find({ ip: "198.51.100.9" }).toArray();
    assert.ok(loud.length > 0 && loud.every((alert) => alert.status === "open"), "the removed rule mutes nothing");
  });

  it("adds a removal the database lacks, so a rule removed in the backup is removed again", async () => {
    const target = await freshDb("rule_removal");
    await restore(target);
    await target.collection<{ _id: string }>(COLLECTIONS.suppressionRemovals).deleteOne({ _id: RULE_STATES.removed });
    const result = await restore(target);
    assert.equal(result.mode, "merge");
    assert.deepEqual(
      [result.added.suppression_rules, result.already_present.suppression_rules, result.suppression_removals_added],
      [0, 3, 1],
    );
    const removed = (await readSuppressionRules(target)).find((rule) => rule._id === RULE_STATES.removed)!;
    assert.equal(ruleStateAt(removed, new Date()), "removed");
  });

  it("restores a version 2 backup (no suppression rules file, no count of them) with no rules", async () => {
    const copy = await copyOfBackup();
    rmSync(path.join(copy, BACKUP_FILES.suppressionRules));
    const manifestPath = path.join(copy, BACKUP_FILES.manifest);
    const {
      signature: _signature,
      counts,
      files,
      ...body
    } = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    const { suppression_rules: _rules, ...v2Counts } = counts;
    const v2Files = files.filter((file) => file.name !== BACKUP_FILES.suppressionRules);
    writeFileSync(
      manifestPath,
      JSON.stringify(
        signManifest(
          { ...body, format: "ledgerline/backup/v2", counts: v2Counts, files: v2Files },
          getCheckpointSigner(),
        ),
      ),
    );

    const target = await freshDb("v2");
    const result = await restore(target, copy);
    assert.equal(result.status, "restored", result.check.problems.join("\n"));
    assert.deepEqual(
      [result.added.suppression_rules, result.suppression_removals_added, result.added.totp_factors],
      [0, 0, 1],
    );
    assert.deepEqual(await readSuppressionRules(target), []);
  });

  it("refuses a database whose sequence holds another log, with a message, writing nothing but the refusal's audit log", async () => {
    const target = await freshDb("conflict");
    assert.equal((await restore(target)).status, "restored");
    const [first, second] = await logsCollection(target).find().sort({ sequence: 1 }).limit(2).toArray();
    await logsCollection(target).deleteMany({ _id: { $in: [first!._id, second!._id] } });
    await logsCollection(target).insertOne({ ...first!, _id: "intruder", user: "mallory" });

    const refused = runScriptWithEnv({ MONGODB_DB: target.databaseName }, "restore", folder);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stdout,
      new RegExp(
        `REFUSED.*nothing from the backup was written[\\s\\S]*sequence ${first!.sequence} holds log intruder in the database, but log ${first!._id} in the backup`,
      ),
    );
    assert.match(refused.stdout, /The refused restore is recorded as a security event/);
    assert.equal(
      await logsCollection(target).findOne({ _id: second!._id }),
      null,
      "a refused restore added a missing log",
    );
    const audit = await logsCollection(target).findOne({ action: "backup_restore_refused" });
    assert.deepEqual(
      [audit?.user, audit?.status, audit?.metadata],
      ["cli", "failed", { backup: path.basename(folder), reason: "database_conflicts", problems: 1 }],
    );
  });

  it("refuses a database whose checkpoint differs from the backup's", async () => {
    const target = await freshDb("checkpoint_conflict");
    await restore(target);
    await checkpointsCollection(target).updateOne({ _id: 2 }, { $set: { digest: "0".repeat(64) } });
    const result = await restore(target);
    assert.equal(result.status, "refused");
    assert.match(result.conflicts[0]!, /^checkpoint 2 in the database differs from the backup's/);
  });

  it("without the HMAC keyring reports newer logs as unverifiable, not tampered, and the checkpointed ones as proven", async () => {
    const target = await freshDb("no_keyring");
    const restored = runScriptWithEnv({ MONGODB_DB: target.databaseName, LEDGERLINE_HMAC_KEYS: "" }, "restore", folder);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /5 newer logs are unverifiable, not tampered/);
    assert.match(restored.stdout, /Not audited/);
    const withoutKeyring = await verifyStoredLogs(target, { ...keys(), keyring: null });
    assert.deepEqual(new Set(withoutKeyring.problems.map((p) => p.kind)), new Set(["unverifiable"]));
    assert.equal(withoutKeyring.problem_count, 5);
    assert.equal(withoutKeyring.valid, withoutKeyring.checked - 5);
    assert.deepEqual((await verify(target)).problems, [], "with the keyring back every MAC verifies");
  });

  it("leaves out a TOTP factor whose user the database holds under another id", async () => {
    const target = await freshDb("other_admin");
    const { users } = await contents(origin);
    const admin = users.find((user) => user.email === ADMIN.email)!;
    await target.collection<{ _id: string }>(COLLECTIONS.users).insertOne({ ...admin, _id: "someone-else" });
    const result = await restore(target);
    assert.equal(result.status, "restored");
    assert.deepEqual([result.added.users, result.already_present.users], [1, 1]);
    assert.deepEqual([result.added.totp_factors, result.totp_factors_without_user, result.totp_key], [0, 1, "opens"]);
    assert.equal(await target.collection(COLLECTIONS.totpFactors).countDocuments(), 0);
  });

  it("restores TOTP factors sealed under another LEDGERLINE_TOTP_KEY, and says they do not open and what to do", async () => {
    const target = await freshDb("other_totp_key");
    const restored = runScriptWithEnv(
      { MONGODB_DB: target.databaseName, LEDGERLINE_TOTP_KEY: randomBytes(32).toString("base64url") },
      "restore",
      folder,
    );
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(
      restored.stdout,
      /WARNING: the backup's TOTP factors do not open here \(they were sealed under another LEDGERLINE_TOTP_KEY\).*npm run user -- reset-totp EMAIL/,
    );
    assert.equal(await target.collection(COLLECTIONS.totpFactors).countDocuments(), 1);
  });

  it("--verify-only checks the folder and writes nothing", async () => {
    const name = `test_restore_untouched_${randomBytes(4).toString("hex")}`;
    const checked = runScriptWithEnv({ MONGODB_DB: name }, "restore", folder, "--verify-only");
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^OK: the backup of .* verifies: \d+ logs, 3 checkpoints, 1 purge records/);
    assert.deepEqual(await (await getMongoClient()).db(name).listCollections().toArray(), []);
  });
});

describe("a tampered archive", () => {
  it("is refused by the CLI, naming the file", async () => {
    const copy = await copyOfBackup();
    editLines(path.join(copy, BACKUP_FILES.logs), (lines) => {
      const index = lines.findIndex((line) => line.startsWith('{"type":"log"'));
      lines[index] = lines[index]!.replace(/"user":"[^"]*"/, '"user":"mallory"');
    });
    const refused = runScript("restore", copy);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /REFUSED[\s\S]*logs\.ndjson: its SHA-256 differs from the manifest's/);
  });

  it("with the manifest's digests recomputed: the signature fails", async () => {
    const copy = await copyOfBackup();
    editLines(path.join(copy, BACKUP_FILES.users), (lines) => {
      const index = lines.findIndex((line) => line.includes('"role":"viewer"'));
      lines[index] = lines[index]!.replace('"role":"viewer"', '"role":"admin"');
    });
    resealManifest(copy, null);
    const check = await verifyBackup(copy, keys());
    assert.deepEqual(check.problems, [
      "manifest.json: its signature does not verify: the manifest was changed after the backup was made",
    ]);
  });

  it("re-signed by someone holding the checkpoint key: the edited log is found by its MAC", async () => {
    const copy = await copyOfBackup();
    let sequence = 0;
    editLines(path.join(copy, BACKUP_FILES.logs), (lines) => {
      const index = lines.findIndex((line) => line.startsWith('{"type":"log"'));
      sequence = JSON.parse(lines[index]!).sequence;
      lines[index] = lines[index]!.replace(/"action":"[^"]*"/, '"action":"logout"');
    });
    resealManifest(copy, getCheckpointSigner());
    const check = await verifyBackup(copy, keys());
    assert.equal(check.ok, false);
    assert.match(check.problems.join("\n"), new RegExp(`logs\\.ndjson line \\d+, sequence ${sequence}: edited`));
    const target = await freshDb("tampered");
    assert.equal((await restore(target, copy)).status, "refused");
    assert.equal(await logsCollection(target).countDocuments(), 0);
  });

  it("with a file missing: refused, naming it", async () => {
    const copy = await copyOfBackup();
    rmSync(path.join(copy, BACKUP_FILES.alerts));
    assert.deepEqual((await verifyBackup(copy, keys())).problems, [
      "alerts.ndjson is missing",
      `manifest.json counts ${(await contents(origin)).alerts.length} alerts, the files hold 0`,
    ]);
  });

  it("with a suppression rule line that does not parse, re-signed: refused, naming the line and the field", async () => {
    const copy = await copyOfBackup();
    let line = 0;
    editLines(path.join(copy, BACKUP_FILES.suppressionRules), (lines) => {
      const index = lines.findIndex((text) => text.includes('"removed_by"'));
      line = index + 1;
      lines[index] = lines[index]!.replace(/,"removed_by":"[^"]*"/, "");
    });
    resealManifest(copy, getCheckpointSigner());
    assert.deepEqual((await verifyBackup(copy, keys())).problems, [
      `${BACKUP_FILES.suppressionRules} line ${line}: removed_by: is required with removed_at`,
      "manifest.json counts 3 suppression_rules, the files hold 2",
    ]);
  });

  it("exit codes: 2 for bad usage and a folder that is not a backup", () => {
    assert.equal(runScript("restore").code, 2);
    const missing = runScript("restore", path.join(dir, "no-such-folder"), "--verify-only");
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /not a Ledgerline backup folder/);
  });
});

/** Recomputes each file's digest, size and line count in the manifest; re-signs it when given the signer. */
function resealManifest(copy: string, signer: ReturnType<typeof getCheckpointSigner> | null): void {
  const manifestPath = path.join(copy, BACKUP_FILES.manifest);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  for (const entry of manifest.files) {
    const bytes = readFileSync(path.join(copy, entry.name));
    Object.assign(entry, { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
  }
  const { signature, ...body } = manifest;
  writeFileSync(manifestPath, JSON.stringify(signer ? signManifest(body, signer) : { ...body, signature }));
}
