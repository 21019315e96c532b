import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { initialsOf, newCouncilForm, runNewCouncil } from "./setup.cli.ts";
import { councilSummary } from "./setup.service.ts";

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "baseplan-setup-cli-"));
// Its own embedded database in the temporary folder, whatever the environment points at.
const { DATABASE_URL: _unused, ...environment } = process.env;
const env = { ...environment, BASEPLAN_DATA_DIR: join(work, "data") };
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the bin file; resolves with the exit code and what it printed, whatever the code. */
async function baseplan(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin/baseplan.js"), ...args], {
      cwd: work,
      env,
      timeout: 170_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("new-council reads its options into the set-up form: a listed GSS code or LA number chooses the area", () => {
  assert.deepEqual(
    newCouncilForm([
      "--name",
      "Borough of Anytown Council",
      "--gss",
      "e06000001",
      "--department",
      "Children's Services",
    ]),
    {
      councilName: "Borough of Anytown Council",
      area: "E06000001",
      areaName: "",
      gssCode: "E06000001",
      laNumber: "",
      departmentName: "Children's Services",
      departmentShortName: "CS",
      frequency: "quarterly",
    },
  );
  assert.equal(newCouncilForm(["--la", "805"]).area, "E06000001");
  const notListed = newCouncilForm(["--area", "Anytown", "--gss", "E06999999", "--short-name", "PL"]);
  assert.equal(notListed.area, "not-listed");
  assert.equal(notListed.areaName, "Anytown");
  assert.equal(notListed.departmentShortName, "PL");
  assert.equal(initialsOf("Adult Social Care and Health"), "ASCH");
  assert.throws(() => newCouncilForm(["--colour", "blue"]), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
});

describeOnBothDatabases("baseplan new-council", (fresh) => {
  test("sets up the council and department with the service's checks, naming each option it refuses", async () => {
    const { db } = await fresh();
    const out: string[] = [];
    const err: string[] = [];
    const say = (lines: string[]) => (line: string) => lines.push(line);
    const refused = await runNewCouncil(
      db,
      TEST_ACTOR,
      ["--gss", "E1", "--la", "80", "--department", "Place"],
      say(out),
      say(err),
    );
    assert.equal(refused, 1);
    assert.deepEqual(err, [
      "Nothing was set up:",
      "  --name: Enter the council's name",
      '  --gss: "E1" is not an ONS GSS code: enter the letter E and 8 digits, like E10000007',
      '  --la: "80" is not a DfE LA number: enter 3 digits, like 830',
    ]);
    assert.equal(await councilSummary(db), null);

    err.length = 0;
    const code = await runNewCouncil(
      db,
      TEST_ACTOR,
      [
        "--name",
        "Borough of Anytown Council",
        "--gss",
        "E06000001",
        "--department",
        "Place",
        "--frequency",
        "monthly",
      ],
      say(out),
      say(err),
    );
    assert.equal(code, 0, err.join("\n"));
    assert.deepEqual(out.slice(0, 2), [
      "Set up Borough of Anytown Council (Hartlepool; GSS code E06000001, DfE LA number 805).",
      "Its first department: Place (short name P), monitored monthly.",
    ]);
    const summary = await councilSummary(db);
    assert.equal(summary?.council.dfeCode, "805");
    assert.equal((await listAuditEvents(db, "council", summary?.council.id ?? 0)).length, 1);

    const again = await runNewCouncil(
      db,
      TEST_ACTOR,
      ["--name", "Another Made-up Council", "--area", "Elsewhere", "--department", "Place"],
      say(out),
      say(err),
    );
    assert.equal(again, 1);
    assert.match(
      err.at(-1) ?? "",
      /^Nothing was set up: Borough of Anytown Council is already set up here\./,
    );
  });
});

test("from the command line: new-council sets up an empty database, and demo then refuses, saying why", async () => {
  const setUp = await baseplan(
    "new-council",
    "--name",
    "Borough of Anytown Council",
    "--area",
    "Anytown",
    "--department",
    "Place",
    "--short-name",
    "PL",
  );
  assert.equal(setUp.code, 0, setUp.stderr);
  assert.match(
    setUp.stdout,
    /Set up Borough of Anytown Council \(Anytown; no GSS code, no DfE LA number\)\./,
  );
  const demo = await baseplan("demo");
  assert.equal(demo.code, 1);
  assert.match(
    demo.stderr,
    /Nothing was loaded: this database already has a council, Borough of Anytown Council\. The demo council loads only into an empty database/,
  );
  const usage = await baseplan("new-council");
  assert.equal(usage.code, 2);
  assert.match(usage.stdout, /Usage: baseplan new-council --name NAME --department NAME/);
});
