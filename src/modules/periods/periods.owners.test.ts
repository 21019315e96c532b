import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { addRecord, renameRecord, setSavingsTarget } from "../finance/finance.structure.ts";
import { changeSectionOwners, monitoringSetting, periodSections } from "./periods.service.ts";

// Made-up council, year and people: owners of every section of the period page (decision 0039).

const Q2 = monitoringPeriod(2036, "quarter", 2);

describeOnBothDatabases("who owns each missing item of a period", (fresh) => {
  test("budget holders and section owners are named beside what is missing, or none is", async () => {
    const { db } = await fresh();
    await buildCouncil(db, {
      departmentName: "Leisure",
      plan: { fromYear: 2035, toYear: 2038 },
      deliverables: [{ title: "Reopen the lido", leadAsWritten: "Head of Leisure" }],
    });
    await buildMonitoringYear(db, 2036);
    await buildOpenQuarter(db, 2036, 2);
    const year = { yearCode: "2036-37" };
    await addRecord(db, TEST_ACTOR, "line", {
      ...year,
      form: { name: "Pools", values: { owner: "Sam Holder" } },
    });
    const museums = await addRecord(db, TEST_ACTOR, "line", {
      ...year,
      form: { name: "Museums", values: {} },
    });
    await setSavingsTarget(db, TEST_ACTOR, {
      ...year,
      version: null,
      form: { currentYear: 40_000_00, broughtForward: 0 },
    });
    await addRecord(db, TEST_ACTOR, "initiative", {
      ...year,
      form: { name: "Shared ticketing", values: { amount: 40_000_00, owner: "  Ira Saver " } },
    });
    await addRecord(db, TEST_ACTOR, "growth", {
      ...year,
      form: { name: "Longer opening", values: { ref: "G7", owner: "Gus Grower" } },
    });
    await addRecord(db, TEST_ACTOR, "reserve", { ...year, form: { name: "Lido repairs" } });

    const setting = await monitoringSetting(db);
    assert.ok(setting);
    assert.deepEqual(setting.sectionOwners, {});
    await changeSectionOwners(db, TEST_ACTOR, {
      version: setting.version,
      owners: { reserves: "Robin Reserve", debt: "", narrative: "Nat Writer", unknown: "Nobody" },
    });

    const owners = (await periodSections(db, Q2)).map((part) => [
      part.key,
      part.missing.map((item) => [item.name, item.owner]),
    ]);
    assert.deepEqual(owners, [
      ["deliverables", [["Reopen the lido", "Head of Leisure"]]],
      ["measures", []],
      [
        "budget-lines",
        [
          ["Pools", "Sam Holder"],
          ["Museums", null],
        ],
      ],
      ["savings", [["Shared ticketing", "Ira Saver"]]],
      ["growth", [["G7 Longer opening", "Gus Grower"]]],
      ["reserves", [["Lido repairs", "Robin Reserve"]]],
      [
        "debt",
        [
          ["Debt by age band", null],
          ["Debt written off in the year", null],
        ],
      ],
      ["financial-risks", [["Financial risks", null]]],
      ["narrative", [["The report narrative", "Nat Writer"]]],
    ]);

    // A budget holder named later, on the line's own form, is shown from then on; audited.
    await renameRecord(db, TEST_ACTOR, "line", {
      id: museums.id,
      version: museums.version,
      form: { name: "Museums", values: { owner: "Mia Curator" } },
    });
    const lines = (await periodSections(db, Q2)).find((part) => part.key === "budget-lines");
    assert.deepEqual(
      lines?.missing.map((item) => item.owner),
      ["Sam Holder", "Mia Curator"],
    );
    const changed = await listAuditEvents(db, "budget-line", museums.id);
    assert.match(changed[0]?.summary ?? "", /budget holder changed/);
  });

  test("section owners are version-checked and audited; a blank name clears one", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { departmentName: "Housing" });
    const first = await monitoringSetting(db);
    assert.ok(first);
    await changeSectionOwners(db, TEST_ACTOR, {
      version: first.version,
      owners: { "financial-risks": "Fay Risk", debt: "Dev Debt" },
    });
    await assert.rejects(
      changeSectionOwners(db, TEST_ACTOR, { version: first.version, owners: { debt: "Someone Else" } }),
      Conflict,
    );
    assert.deepEqual((await monitoringSetting(db))?.sectionOwners, {
      debt: "Dev Debt",
      "financial-risks": "Fay Risk",
    });
    const second = await monitoringSetting(db);
    await changeSectionOwners(db, TEST_ACTOR, {
      version: second?.version ?? 0,
      owners: { "financial-risks": "Fay Risk", debt: " " },
    });
    assert.deepEqual((await monitoringSetting(db))?.sectionOwners, { "financial-risks": "Fay Risk" });
    const events = await listAuditEvents(db, "department", built.departmentId);
    assert.match(events[0]?.summary ?? "", /debt not set/);
    await assert.rejects(
      changeSectionOwners(db, TEST_ACTOR, {
        version: (await monitoringSetting(db))?.version ?? 0,
        owners: { narrative: "x".repeat(201) },
      }),
      (error: unknown) =>
        error instanceof ValidationFailed &&
        error.errors[0]?.field === "owner-narrative" &&
        /200 characters or fewer/.test(error.errors[0]?.message ?? ""),
    );
  });
});
