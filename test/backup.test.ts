import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import JSZip from "jszip";
import { loadConfig } from "../src/config.ts";
import { BackupRefused, restoreBackup, writeBackup } from "../src/db/backup.ts";
import { type Database, queryRows } from "../src/db/client.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

const folder = await mkdtemp(join(tmpdir(), "baseplan-backup-"));
after(() => rm(folder, { recursive: true, force: true }));

/** Pages and documents a person reads, on every engine: the round trip must give the same bytes. */
const ADDRESSES = [
  "/",
  "/measures",
  "/budget",
  "/budget/2020-21/q3/savings",
  "/procurement",
  "/procurement/forward-plan.csv",
  "/procurement/pipeline/2022.json",
  "/reports/quarterly/2020-21/q3",
  "/reports/quarterly/2020-21/q3.docx",
  "/status",
];

/**
 * A Word file's words, in order (its parts also carry when it was made and numbers the Word
 * library counts across every file a process writes).
 */
async function wordText(bytes: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  const document = (await zip.file("word/document.xml")?.async("string")) ?? "";
  const words = [...document.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]);
  assert.ok(words.length > 100, "the Word file has its text");
  return Buffer.from(words.join("\n"));
}

async function readEverything(db: Database): Promise<Map<string, Buffer>> {
  const app = await createApp(
    createServices(db, loadConfig({ NODE_ENV: "test", BASEPLAN_PAGE_CACHE: "false" })),
  );
  const read = new Map<string, Buffer>();
  for (const address of ADDRESSES) {
    const response = await app.inject(address);
    assert.equal(response.statusCode, 200, address);
    // Each page has its own script nonce and form token; the OCDS package says when it was asked for.
    const type = String(response.headers["content-type"] ?? "");
    const steady = type.startsWith("text/html")
      ? Buffer.from(response.body.replace(/nonce="[^"]*"/g, "").replace(/name="_csrf" value="[^"]*"/g, ""))
      : type.includes("json")
        ? Buffer.from(response.body.replace(/"publishedDate":\s*"[^"]*"/g, ""))
        : address.endsWith(".docx")
          ? await wordText(response.rawPayload)
          : response.rawPayload;
    read.set(address, steady);
  }
  await app.close();
  return read;
}

const auditEvents = async (db: Database) =>
  (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`))[0]?.n ?? 0;

/** The backup's lines, the first (when it was written) left out. */
const linesOf = async (file: string) =>
  gunzipSync(await readFile(file))
    .toString("utf8")
    .split("\n")
    .slice(1);

describeOnBothDatabases("backup and restore", (fresh) => {
  // The demo is only read as a backup's source (a backup reads one snapshot; restoring into a
  // database with data is refused, nothing changed), so both tests read one copy of it.
  test("a round trip gives identical pages, documents and tables", async () => {
    const source = await fresh({ demo: true, readOnly: true });
    const file = join(folder, `round-trip-${source.engine}.baseplan.gz`);
    const written = await writeBackup(source.db, file);
    assert.ok((written.audit_events ?? 0) > 0 && (written.councils ?? 0) === 1);

    // Read fewer rows at a time through each cursor (the larger tables in several batches, a batch
    // ending part way through a table), the file holds the same lines.
    const inSmallBatches = join(folder, `small-batches-${source.engine}.baseplan.gz`);
    assert.deepEqual(await writeBackup(source.db, inSmallBatches, { batchRows: 997 }), written);
    assert.deepEqual(await linesOf(inSmallBatches), await linesOf(file));

    const target = await fresh();
    const restored = await restoreBackup(target.db, file);
    assert.deepEqual(restored, written);
    // Written again from the restored database, every row is the same but the data version,
    // which moves on so no process keeps a page from before the restore.
    const again = join(folder, `again-${source.engine}.baseplan.gz`);
    await writeBackup(target.db, again);
    const [first, second] = [await linesOf(file), await linesOf(again)];
    const differing = first.filter((line, index) => line !== second[index]);
    assert.equal(differing.length, 1);
    assert.match(differing[0] ?? "", /^\["1","\d+"\]$/);

    const [before, afterRestore] = [await readEverything(source.db), await readEverything(target.db)];
    for (const address of ADDRESSES) {
      assert.ok(
        Buffer.compare(
          before.get(address) ?? Buffer.alloc(0),
          afterRestore.get(address) ?? Buffer.alloc(1),
        ) === 0,
        address,
      );
    }

    // The restored database goes on taking new records after the highest id restored.
    await target.db.execute(
      sql`insert into audit_events (actor, action, entity_type, entity_id, summary) values ('t', 'update', 'x', '1', 'after the restore')`,
    );
    assert.equal(await auditEvents(target.db), (written.audit_events ?? 0) + 1);
    // Restoring truncated the audit table (allowed: not a row change); the trail is still
    // append-only after it, so no restored event can be rewritten or removed.
    await assert.rejects(target.db.execute(sql`update audit_events set summary = 'rewritten'`));
    await assert.rejects(target.db.execute(sql`delete from audit_events`));
    assert.equal(await auditEvents(target.db), (written.audit_events ?? 0) + 1);
  });

  test("a file from a newer schema, a damaged or cut-short file, or a database with data is refused, nothing changed", async () => {
    const source = await fresh({ demo: true, readOnly: true });
    const file = join(folder, `refusals-${source.engine}.baseplan.gz`);
    await writeBackup(source.db, file);
    const lines = gunzipSync(await readFile(file))
      .toString("utf8")
      .split("\n");
    const header = JSON.parse(lines[0] ?? "{}");

    const newer = join(folder, `newer-${source.engine}.baseplan.gz`);
    header.migrations.push({ name: "9999_from_a_later_version", checksum: "0" });
    await writeFile(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join("\n")));
    const cut = join(folder, `cut-${source.engine}.baseplan.gz`);
    await writeFile(cut, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join("\n")));
    const damaged = join(folder, `damaged-${source.engine}.baseplan.gz`);
    const bytes = await readFile(file);
    await writeFile(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const notBackup = join(folder, `not-a-backup-${source.engine}.txt`);
    await writeFile(notBackup, "Measure\tTarget\n");

    const target = await fresh();
    const refusals: [string, RegExp][] = [
      [newer, /newer version of Baseplan: its database has 9999_from_a_later_version.*Upgrade Baseplan/],
      [cut, /cut short/],
      [damaged, /damaged/],
      [notBackup, /not a Baseplan backup/],
      [join(folder, "no-such-file.gz"), /There is no file/],
    ];
    for (const [path, message] of refusals) {
      await assert.rejects(restoreBackup(target.db, path), (error: unknown) => {
        assert.ok(error instanceof BackupRefused, String(error));
        assert.match(error.message, message);
        return true;
      });
      assert.equal(await auditEvents(target.db), 0, path);
    }
    await assert.rejects(restoreBackup(source.db, file), /already holds data/);
  });
});

test("npx baseplan restore says why it refuses a damaged file and stops with 1", async () => {
  const file = join(folder, "cli-damaged.baseplan.gz");
  await writeFile(file, gzipSync("not json\n"));
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "restore", file], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { PATH: process.env.PATH, BASEPLAN_DATA_DIR: join(folder, "cli-data"), NODE_ENV: "test" },
    encoding: "utf8",
  });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /damaged: line 1 is not readable/);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/);
});
