// POST /api/import: administrators only, the same import as the CLI, and a
// clear 4xx for a file or form it cannot use.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Db } from "mongodb";
import * as importRoute from "@/app/api/import/route";
import { createSession } from "@/lib/records/auth/sessions";
import { createUser } from "@/lib/records/auth/users";
import { getDb } from "@/lib/platform/db/client";
import { logsCollection } from "@/lib/records/logs/collection";
import { createTestApiKey, setupAppDatabase } from "./support/app-db";
import { flaskCsv, FLASK_KEY, makeFlaskRow } from "./support/flask-csv";
import { TEST_HOST } from "./support/http";

const MAX_UPLOAD = 4096;
setupAppDatabase("import_api", { IMPORT_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });

const PASSWORD = "a long enough password";
let db: Db;
let adminSession: string;
let viewerSession: string;

before(async () => {
  db = await getDb();
  const admin = await createUser(db, { email: "admin@import.example", role: "admin" }, PASSWORD, { user: "test" });
  const viewer = await createUser(db, { email: "viewer@import.example", role: "viewer" }, PASSWORD, { user: "test" });
  adminSession = (await createSession(db, admin.id)).cookieValue;
  viewerSession = (await createSession(db, viewer.id)).cookieValue;
});

type UploadOptions = {
  session?: string;
  key?: string;
  origin?: string;
  file?: { name: string; content: string | Uint8Array<ArrayBuffer> } | null;
  fields?: Record<string, string>;
};

async function upload({
  session = adminSession,
  key,
  origin = `http://${TEST_HOST}`,
  file,
  fields = {},
}: UploadOptions = {}) {
  const form = new FormData();
  if (file) form.set("file", new Blob([file.content]), file.name);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const headers = new Headers({ host: TEST_HOST, origin });
  if (key) headers.set("authorization", `Bearer ${key}`);
  else if (session) headers.set("cookie", `ledgerline_session=${session}`);
  const response = await importRoute.POST(
    new Request(`http://${TEST_HOST}/api/import`, { method: "POST", headers, body: form }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, body: await response.json() };
}

const flaskFile = (rows = [makeFlaskRow(), makeFlaskRow({ log_id: "" }), makeFlaskRow({}, "wrong-key")]) => ({
  name: "flask-export.csv",
  content: flaskCsv(rows),
});
const importedCount = () => logsCollection(db).countDocuments({ source: { $ne: "ledgerline" } });

describe("POST /api/import", () => {
  it("is for signed-in administrators only: 401 signed out, 403 for viewers, API keys and other sites", async () => {
    assert.equal((await upload({ session: "", file: flaskFile() })).status, 401);
    assert.equal((await upload({ session: viewerSession, file: flaskFile() })).status, 403);
    assert.equal(
      (await upload({ key: await createTestApiKey(db, ["ingest", "read"]), file: flaskFile() })).status,
      403,
    );
    assert.equal((await upload({ origin: "https://evil.example", file: flaskFile() })).status, 403);
    assert.equal(await importedCount(), 0);
  });

  it("imports the file and answers the report, refused rows by line", async () => {
    const response = await upload({ file: flaskFile(), fields: { legacy_key: FLASK_KEY } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const report = response.body;
    assert.deepEqual([report.format, report.dialect, report.imported, report.refused], ["csv", "legacy_csv", 2, 1]);
    assert.deepEqual(report.legacy, { verified: 1, mismatched: 1, not_checkable: 1, unchecked: 0 });
    assert.equal(report.refused_rows[0].line, 4);
    assert.equal(await importedCount(), 2);
    assert.equal(await logsCollection(db).countDocuments({ ingested_by: "import:admin@import.example" }), 2);
    const audit = await logsCollection(db).findOne({ action: "logs_imported" });
    assert.equal(audit?.user, "admin@import.example");
    assert.equal(audit?.ingested_by, "ledgerline");
  });

  it("stores nothing for a dry run", async () => {
    const response = await upload({ file: flaskFile([makeFlaskRow(), makeFlaskRow()]), fields: { dry_run: "true" } });
    assert.equal(response.status, 200);
    assert.deepEqual([response.body.dry_run, response.body.imported, response.body.legacy.unchecked], [true, 2, 2]);
    assert.equal(await importedCount(), 2);
  });

  it("answers a clear 400 or 413 for a file or form it cannot use", async () => {
    const cases: [UploadOptions, number, RegExp][] = [
      [{ file: null }, 400, /Choose a non-empty file/],
      [{ file: { name: "empty.csv", content: "" } }, 400, /Choose a non-empty file/],
      [
        { file: { name: "photo.csv", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x0a]) } },
        400,
        /photo\.csv: The file is not UTF-8 text/,
      ],
      [{ file: { name: "other.csv", content: "when,who\n1,2\n" } }, 400, /other\.csv: The CSV header is neither/],
      [{ file: { name: "logs.json", content: '{"not": [closed' } }, 400, /logs\.json: The file is not valid JSON/],
      [{ file: flaskFile(), fields: { format: "xml" } }, 400, /problem/],
      [{ file: { name: "big.csv", content: "x".repeat(MAX_UPLOAD + 1) } }, 413, /larger than 4096 bytes/],
    ];
    for (const [options, status, message] of cases) {
      const response = await upload(options);
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.match(response.body.error.message, message);
    }
    const fields = await upload({ file: flaskFile(), fields: { format: "xml" } });
    assert.deepEqual(fields.body.error.details, [
      { field: "format", message: "must be auto, csv, ndjson, json or syslog" },
    ]);
    assert.equal(await importedCount(), 2);
  });
});
