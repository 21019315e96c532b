import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { connect } from "../src/db/client.ts";
import { databaseErrorMessage } from "../src/db/start-up.ts";
import { createServices } from "../src/services.ts";
import { createApp } from "../src/web/app.ts";
import {
  describeOnBothDatabases,
  freshDatabase,
  POSTGRES_URL,
  postgresSkipReason,
} from "./helpers/database.ts";
import { buildPerson, sessionCookieFor } from "./helpers/people.ts";

const SESSION_SECRET = "a-made-up-session-secret-for-three-processes";

for (const engine of ["pglite", "postgresql"] as const) {
  test(`liveness answers while the database does not; readiness and /health say unavailable [${engine}]`, {
    skip: engine === "postgresql" ? postgresSkipReason() : false,
  }, async () => {
    const database = await freshDatabase(engine);
    const app = await createApp(createServices(database.db, loadConfig({ NODE_ENV: "test" })));
    assert.deepEqual((await app.inject("/health/live")).json(), { status: "ok" });
    assert.equal((await app.inject("/health/ready")).statusCode, 200);
    assert.equal((await app.inject("/health")).statusCode, 200);
    await database.close();
    assert.equal((await app.inject("/health/live")).statusCode, 200);
    assert.equal((await app.inject("/health/ready")).statusCode, 503);
    assert.equal((await app.inject("/health")).statusCode, 503);
    await app.close();
  });
}

describeOnBothDatabases("start-up errors", (fresh) => {
  test("a database error is told by PostgreSQL's reason, not the query", async () => {
    const database = await fresh();
    const error = await database.db.execute(sql`select made_up_column from audit_events`).then(
      () => assert.fail("the query should fail"),
      (failure: unknown) => failure,
    );
    const message = databaseErrorMessage(error);
    assert.match(message, /column "made_up_column" does not exist/);
    assert.match(message, /42703/);
    assert.doesNotMatch(message, /select|Failed query/i);
  });
});

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  return typeof address === "object" && address ? address.port : 0;
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`A Baseplan process stopped:\n${output()}`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("three processes started at once on one empty PostgreSQL database all serve, and a write on one is read on another", {
  skip: postgresSkipReason(),
}, async () => {
  const name = `baseplan_three_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const url = new URL(POSTGRES_URL ?? "");
  url.pathname = `/${name}`;
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  try {
    const urls: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const port = await freePort();
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "serve"], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: "production",
          BASEPLAN_COOKIE_SECRET: "a-made-up-secret-for-three-processes-at-once",
          BASEPLAN_SESSION_SECRET: SESSION_SECRET,
          BASEPLAN_LOAD_DEMO: "true",
          DATABASE_URL: url.toString(),
          PORT: String(port),
          HOST: "127.0.0.1",
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      outputs.push("");
      child.stdout?.on("data", (chunk) => {
        outputs[n] += String(chunk);
      });
      child.stderr?.on("data", (chunk) => {
        outputs[n] += String(chunk);
      });
      children.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    await Promise.all(children.map((child, n) => waitForReady(urls[n] ?? "", child, () => outputs[n] ?? "")));
    const [first = "", second = "", third = ""] = urls;

    // Each has the one demo council, loaded once.
    const connection = await connect({ databaseUrl: url.toString(), poolSize: 1 });
    const [row] = (
      (await connection.db.execute(
        sql`select count(*)::int as n, min(id)::int as id from councils`,
      )) as unknown as {
        rows: { n: number; id: number }[];
      }
    ).rows;
    assert.equal(row?.n, 1);
    // Production: everyone signs in. An administrator's session, made in the shared database,
    // is good on every process.
    const administrator = await buildPerson(connection.db, {
      councilId: row?.id ?? 0,
      roles: ["administrator"],
    });
    const session = await sessionCookieFor(
      connection.db,
      loadConfig({ NODE_ENV: "test", BASEPLAN_SESSION_SECRET: SESSION_SECRET }),
      administrator.id,
    );
    await connection.close();
    const signedIn = { headers: { cookie: session } };

    // The second keeps its page; the first changes the setting; the second's next page shows it.
    const before = await (await fetch(`${second}/benchmarks/settings`, signedIn)).text();
    assert.doesNotMatch(before, /name="tolerance"[^>]*value="2.75"/);
    const form = await fetch(`${first}/benchmarks/settings`, signedIn);
    const page = await form.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const version = /name="version" value="([^"]*)"/.exec(page)?.[1] ?? "";
    const dfeCode = /name="dfeCode"[^>]*value="([^"]*)"/.exec(page)?.[1] ?? "";
    const cookie = [session, ...form.headers.getSetCookie().map((line) => line.split(";")[0])].join("; ");
    const saved = await fetch(`${first}/benchmarks/settings`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: token, dfeCode, tolerance: "2.75", version }).toString(),
    });
    assert.equal(saved.status, 303, await saved.text());
    for (const other of [second, third]) {
      assert.match(
        await (await fetch(`${other}/benchmarks/settings`, signedIn)).text(),
        /name="tolerance"[^>]*value="2.75"/,
      );
    }
    for (const output of outputs) assert.doesNotMatch(output, /error|failed/i);
  } finally {
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});
