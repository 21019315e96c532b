import assert from "node:assert/strict";
import { test } from "node:test";
import { buildMeasure, buildMonitoringYear } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { demoState, loadDemo } from "../../demo/load-demo.ts";
import { ValidationFailed } from "../../errors.ts";
import { prepareDatabase } from "../../server.ts";
import { parseForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { AREA_NOT_LISTED, councilForm, departmentForm } from "./setup.schemas.ts";
import {
  addDepartment,
  CouncilAlreadySetUp,
  councilSummary,
  isSetUp,
  NoCouncilYet,
  nextSteps,
  setUpCouncil,
} from "./setup.service.ts";

/** The set-up form as a person fills it in, with made-up names; any field can be changed. */
function councilFields(fields: Record<string, string> = {}) {
  return {
    councilName: "Borough of Anytown Council",
    area: AREA_NOT_LISTED,
    areaName: "Anytown",
    gssCode: "",
    laNumber: "",
    departmentName: "Place",
    departmentShortName: "PL",
    frequency: "quarterly",
    ...fields,
  };
}

function validCouncil(fields: Record<string, string> = {}) {
  const form = parseForm(councilForm, councilFields(fields));
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  return form.value;
}

function validDepartment(fields: Record<string, string>) {
  const form = parseForm(departmentForm, { frequency: "quarterly", ...fields });
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  return form.value;
}

async function refusal(work: Promise<unknown>): Promise<Record<string, string>> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    return Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
  }
  throw new Error("expected the change to be refused");
}

async function counts(db: Database) {
  const summary = await councilSummary(db);
  return { councils: summary ? 1 : 0, departments: summary?.departments.length ?? 0 };
}

test("the set-up form names each field it refuses, and checks a code's format", () => {
  const empty = parseForm(councilForm, {});
  assert.equal(empty.ok, false);
  const messages = Object.fromEntries((empty.ok ? [] : empty.errors).map((e) => [e.field, e.message]));
  assert.deepEqual(messages, {
    councilName: "Enter the council's name",
    area: "Select the area the council serves, or that it is not in the list",
    departmentName: "Enter the department's name",
    departmentShortName: "Enter a short name for the department, like CS",
    frequency: "Select whether the department is monitored quarterly or monthly",
  });
  const badCodes = parseForm(councilForm, councilFields({ gssCode: "X1234", laNumber: "83" }));
  const codeMessages = Object.fromEntries(
    (badCodes.ok ? [] : badCodes.errors).map((e) => [e.field, e.message]),
  );
  assert.deepEqual(codeMessages, {
    gssCode: '"X1234" is not an ONS GSS code: enter the letter E and 8 digits, like E10000007',
    laNumber: '"83" is not a DfE LA number: enter 3 digits, like 830',
  });
  // Blank codes are none; typed ones are trimmed and upper-cased.
  assert.equal(validCouncil().gssCode, null);
  assert.equal(validCouncil({ gssCode: " e99999999 " }).gssCode, "E99999999");
});

describeOnBothDatabases("setting up a council", (fresh) => {
  test("an area chosen from the list fills in its GSS code, DfE LA number and region, audited", async () => {
    const { db } = await fresh();
    assert.equal(await isSetUp(db), false);
    assert.equal(await nextSteps(db), null);
    // Any listed council will do: Hartlepool, a unitary authority, by its GSS code.
    const { council, department } = await setUpCouncil(
      db,
      TEST_ACTOR,
      validCouncil({ area: "E06000001", areaName: "", frequency: "monthly" }),
    );
    assert.equal(await isSetUp(db), true);
    assert.equal(council.name, "Borough of Anytown Council");
    assert.equal(council.areaName, "Hartlepool");
    assert.equal(council.onsCode, "E06000001");
    assert.equal(council.dfeCode, "805");
    assert.deepEqual(council.region, { name: "North East", onsCode: "E12000001" });
    assert.equal(department.name, "Place");
    assert.equal(department.shortName, "PL");
    assert.equal(department.monitoringFrequency, "monthly");
    const [councilEvent] = await listAuditEvents(db, "council", council.id);
    assert.equal(councilEvent?.actor, TEST_ACTOR);
    assert.equal(councilEvent?.summary, "Set up Borough of Anytown Council, serving Hartlepool");
    const [departmentEvent] = await listAuditEvents(db, "department", department.id);
    assert.equal(departmentEvent?.summary, "Added the department Place (PL) to Borough of Anytown Council");
  });

  test("a district council has no DfE LA number; a typed code that is not the area's is refused", async () => {
    const { db } = await fresh();
    // Adur, a district council: in the list with a GSS code and no DfE LA number.
    const refused = await refusal(
      setUpCouncil(
        db,
        TEST_ACTOR,
        validCouncil({ area: "E07000223", gssCode: "E07000224", laNumber: "999" }),
      ),
    );
    assert.deepEqual(refused, {
      gssCode:
        "Adur's ONS GSS code is E07000223, not E07000224: leave the GSS code blank, or select the area it belongs to",
      laNumber: "Adur is a district council, which has no DfE LA number: leave it blank",
    });
    assert.deepEqual(await counts(db), { councils: 0, departments: 0 });
    const { council } = await setUpCouncil(db, TEST_ACTOR, validCouncil({ area: "E07000223" }));
    assert.equal(council.onsCode, "E07000223");
    assert.equal(council.dfeCode, null);
  });

  test("a council not in the list types its area, with codes optional, but not a listed council's codes", async () => {
    const { db } = await fresh();
    assert.deepEqual(await refusal(setUpCouncil(db, TEST_ACTOR, validCouncil({ areaName: "" }))), {
      areaName: "Enter the name of the area the council serves",
    });
    assert.deepEqual(
      await refusal(setUpCouncil(db, TEST_ACTOR, validCouncil({ gssCode: "E06000001", laNumber: "805" }))),
      {
        gssCode: "E06000001 is Hartlepool's GSS code: select Hartlepool from the list instead",
        laNumber: "805 is Hartlepool's DfE LA number: select Hartlepool from the list instead",
      },
    );
    assert.deepEqual(await counts(db), { councils: 0, departments: 0 });
    const { council } = await setUpCouncil(
      db,
      TEST_ACTOR,
      validCouncil({ gssCode: "E06999999", laNumber: "999" }),
    );
    assert.equal(council.areaName, "Anytown");
    assert.equal(council.onsCode, "E06999999");
    assert.equal(council.dfeCode, "999");
    assert.equal(council.region, null);
  });

  test("a second set-up is refused naming the council there is, and changes nothing", async () => {
    const { db } = await fresh();
    await setUpCouncil(db, TEST_ACTOR, validCouncil());
    const before = await counts(db);
    await assert.rejects(
      setUpCouncil(
        db,
        TEST_ACTOR,
        validCouncil({ councilName: "Another Made-up Council", departmentShortName: "X" }),
      ),
      (error: unknown) =>
        error instanceof CouncilAlreadySetUp &&
        error.message.startsWith("Borough of Anytown Council is already set up here."),
    );
    assert.deepEqual(await counts(db), before);
    assert.equal((await councilSummary(db))?.council.name, "Borough of Anytown Council");
  });

  test("two set-ups at once: one council, the other refused", async () => {
    const { db } = await fresh();
    const results = await Promise.allSettled([
      setUpCouncil(db, TEST_ACTOR, validCouncil({ councilName: "First Made-up Council" })),
      setUpCouncil(db, TEST_ACTOR, validCouncil({ councilName: "Second Made-up Council" })),
    ]);
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
    const rejected = results.find((result) => result.status === "rejected");
    assert.ok(rejected?.status === "rejected" && rejected.reason instanceof CouncilAlreadySetUp);
    assert.deepEqual(await counts(db), { councils: 1, departments: 1 });
  });

  test("departments: added and audited; a name or short name the council uses, in any case, is refused", async () => {
    const { db } = await fresh();
    await assert.rejects(
      addDepartment(db, TEST_ACTOR, validDepartment({ departmentName: "Place", departmentShortName: "PL" })),
      NoCouncilYet,
    );
    await setUpCouncil(db, TEST_ACTOR, validCouncil());
    const added = await addDepartment(
      db,
      TEST_ACTOR,
      validDepartment({ departmentName: "Adult Care", departmentShortName: "AC", frequency: "monthly" }),
    );
    assert.equal(added.monitoringFrequency, "monthly");
    const [event] = await listAuditEvents(db, "department", added.id);
    assert.equal(event?.action, "create");
    assert.deepEqual(event?.after, { name: "Adult Care", shortName: "AC", frequency: "monthly" });
    assert.deepEqual(
      await refusal(
        addDepartment(
          db,
          TEST_ACTOR,
          validDepartment({ departmentName: "PLACE", departmentShortName: "ac" }),
        ),
      ),
      {
        departmentName:
          "Borough of Anytown Council already has a department called Place: enter another name",
        departmentShortName: "The short name AC is already used by Adult Care: enter another short name",
      },
    );
    assert.deepEqual(
      (await councilSummary(db))?.departments.map((d) => d.name),
      ["Place", "Adult Care"],
    );
  });

  test("the next steps, in order, each marked done as the department sets it up", async () => {
    const { db } = await fresh();
    await setUpCouncil(db, TEST_ACTOR, validCouncil());
    const done = async () => (await nextSteps(db))?.map((step) => [step.key, step.done]);
    assert.deepEqual(await done(), [
      ["year", false],
      ["plan", false],
      ["measures", false],
      ["budget", false],
    ]);
    assert.deepEqual(
      (await nextSteps(db))?.map((step) => step.href),
      ["/periods", "/plan", "/measures/import", "/budget"],
    );
    await buildMonitoringYear(db, 2031);
    await buildMeasure(db, { title: "A made-up measure" });
    assert.deepEqual(await done(), [
      ["year", true],
      ["plan", false],
      ["measures", true],
      ["budget", false],
    ]);
    // Once a year is open, the budget step leads to that year's set-up page.
    assert.equal((await nextSteps(db))?.at(-1)?.href, "/budget/2031-32/structure");
  });

  test("the demo loads into an empty database only, never beside a council set up here", async () => {
    const { db } = await fresh();
    assert.deepEqual(await demoState(db), { kind: "empty" });
    await setUpCouncil(db, TEST_ACTOR, validCouncil());
    assert.deepEqual(await demoState(db), {
      kind: "council-set-up",
      councilName: "Borough of Anytown Council",
    });
    assert.equal(await loadDemo(db, TEST_ACTOR), false);
    assert.deepEqual(await counts(db), { councils: 1, departments: 1 });
  });

  test("starting Baseplan: empty without the demo, and never the demo beside a council set up here", async () => {
    const { db, connection } = await fresh();
    await prepareDatabase(connection, { loadDemo: false, commandLineActor: TEST_ACTOR });
    assert.equal(await isSetUp(db), false);
    await setUpCouncil(db, TEST_ACTOR, validCouncil());
    // The default start (the demo on) finds a council set up and leaves it alone.
    await prepareDatabase(connection, { loadDemo: true, commandLineActor: TEST_ACTOR });
    assert.deepEqual(await demoState(db), {
      kind: "council-set-up",
      councilName: "Borough of Anytown Council",
    });
    assert.deepEqual(await counts(db), { councils: 1, departments: 1 });
  });

  test("the demo council, set up in full, has no next steps", async () => {
    const { db } = await fresh({ demo: true });
    assert.deepEqual(await demoState(db), { kind: "demo-loaded" });
    assert.equal(await nextSteps(db), null);
  });
});
