import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildForecastEntry,
  buildMonitoringYear,
  buildOpenQuarter,
  buildSetUpCouncil,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { BadRequest, Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { reservesReport } from "./finance.balances.ts";
import {
  approvedBudgetReport,
  budgetLineDetail,
  forecastOutturnReport,
  lineForNewForecast,
} from "./finance.budget.ts";
import { reservesForEntry, saveGrowthSpend, saveReserveBalances } from "./finance.entry.ts";
import { createInitiativeForecast, initiativeForNewForecast, savingsReport } from "./finance.savings.ts";
import {
  divisionAmountsSchema,
  savingsForecastNewSchema,
  savingsTargetSchema,
  structureNameSchema,
  structureRecordSchema,
} from "./finance.schemas.ts";
import type { GrowthRow } from "./finance.structure.repository.ts";
import {
  addRecord,
  archiveRecord,
  type BudgetStructureKind,
  budgetStructure,
  KIND_NAMES,
  moveRecord,
  renameRecord,
  restoreRecord,
  setDivisionAmounts,
  setSavingsTarget,
} from "./finance.structure.ts";
import { quarterCompleteness } from "./finance.years.ts";

const YEAR = "2030-31";

async function refusal(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ValidationFailed, `expected a refusal, got ${String(error)}`);
  const [first] = error.errors;
  assert.ok(first);
  return first;
}

async function conflict(promise: Promise<unknown>): Promise<Conflict> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof Conflict, `expected a conflict, got ${String(error)}`);
  return error;
}

async function actions(db: Database, entityType: string, id: number) {
  return (await listAuditEvents(db, entityType, id)).map((event) => [event.action, event.actor]).reverse();
}

const named = (name: string) => validForm(structureNameSchema, { name });

async function add(db: Database, kind: BudgetStructureKind, name: string) {
  return addRecord(db, TEST_ACTOR, kind, { yearCode: YEAR, form: named(name) });
}

async function names(db: Database, kind: "lines" | "divisions") {
  return (await budgetStructure(db, YEAR))[kind].map((row) => row.name);
}

/** A council set up without the demo, with 2030/31 open and its first quarter open for entry. */
async function newCouncil(fresh: () => Promise<{ db: Database }>) {
  const { db } = await fresh();
  await buildSetUpCouncil(db, { departmentName: "Environment and Transport", departmentShortName: "ET" });
  await buildMonitoringYear(db, 2030);
  await buildOpenQuarter(db, 2030, 1);
  return db;
}

describeOnBothDatabases("setting up a year's budget structure", (fresh) => {
  test("budget lines are added, renamed, moved, archived and restored, each audited with who did it", async () => {
    const db = await newCouncil(fresh);
    const roads = await add(db, "line", "Highways maintenance");
    const lights = await add(db, "line", "Street lighting");
    const waste = await add(db, "line", "Waste disposal");
    assert.deepEqual(await names(db, "lines"), ["Highways maintenance", "Street lighting", "Waste disposal"]);
    // A council's only department names the portfolio its report shows the lines under.
    assert.equal(roads.portfolio, "Environment and Transport");
    assert.deepEqual(
      [roads, lights, waste].map((line) => line.position),
      [1, 2, 3],
    );

    const renamed = await renameRecord(db, "finance.lead@anytown.example", "line", {
      id: lights.id,
      version: lights.version,
      form: named("Street lighting and signals"),
    });
    assert.equal(renamed.version, lights.version + 1);

    await moveRecord(db, TEST_ACTOR, "line", { id: waste.id, version: waste.version, direction: "up" });
    assert.deepEqual(await names(db, "lines"), [
      "Highways maintenance",
      "Waste disposal",
      "Street lighting and signals",
    ]);

    const archived = await archiveRecord(db, TEST_ACTOR, "line", { id: roads.id, version: roads.version });
    assert.ok(archived.archivedAt);
    assert.equal(archived.archivedBy, TEST_ACTOR);
    assert.deepEqual(await names(db, "lines"), ["Waste disposal", "Street lighting and signals"]);
    const model = await budgetStructure(db, YEAR);
    assert.deepEqual(
      model.lines.map((line) => line.position),
      [1, 2],
    );
    assert.deepEqual(
      model.archivedLines.map((line) => line.name),
      ["Highways maintenance"],
    );

    await restoreRecord(db, TEST_ACTOR, "line", { id: roads.id, version: archived.version });
    assert.deepEqual(await names(db, "lines"), [
      "Waste disposal",
      "Street lighting and signals",
      "Highways maintenance",
    ]);

    assert.deepEqual(await actions(db, "budget-line", roads.id), [
      ["create", TEST_ACTOR],
      ["archive", TEST_ACTOR],
      ["restore", TEST_ACTOR],
    ]);
    assert.deepEqual(await actions(db, "budget-line", lights.id), [
      ["create", TEST_ACTOR],
      ["update", "finance.lead@anytown.example"],
    ]);
    assert.deepEqual(await actions(db, "budget-line", waste.id), [
      ["create", TEST_ACTOR],
      ["move", TEST_ACTOR],
    ]);
  });

  test("a form opened before someone else saved is refused and changes nothing, for every action", async () => {
    const db = await newCouncil(fresh);
    const first = await add(db, "line", "Parks");
    const second = await add(db, "line", "Libraries");
    const opened = first.version;
    await renameRecord(db, TEST_ACTOR, "line", {
      id: first.id,
      version: opened,
      form: named("Parks and open spaces"),
    });

    const stale = await conflict(
      renameRecord(db, TEST_ACTOR, "line", { id: first.id, version: opened, form: named("Green spaces") }),
    );
    assert.deepEqual(stale.fields[0], {
      label: "Name",
      saved: "Parks and open spaces",
      submitted: "Green spaces",
    });
    await conflict(moveRecord(db, TEST_ACTOR, "line", { id: first.id, version: opened, direction: "down" }));
    await conflict(archiveRecord(db, TEST_ACTOR, "line", { id: first.id, version: opened }));
    const archived = await archiveRecord(db, TEST_ACTOR, "line", { id: second.id, version: second.version });
    await conflict(restoreRecord(db, TEST_ACTOR, "line", { id: second.id, version: second.version }));
    assert.ok(archived.archivedAt);

    assert.deepEqual(await names(db, "lines"), ["Parks and open spaces"]);
    assert.deepEqual(
      (await actions(db, "budget-line", first.id)).map(([action]) => action),
      ["create", "update"],
    );
  });

  test("bad input is refused naming the field, and nothing changes", async () => {
    const db = await newCouncil(fresh);
    const line = await add(db, "line", "Adult learning");

    const blank = await refusal(Promise.resolve().then(() => named("   \t ")));
    assert.deepEqual(blank, { field: "name", message: "Enter the name" });

    const duplicate = await refusal(add(db, "line", "  ADULT learning "));
    assert.equal(duplicate.field, "name");
    assert.match(duplicate.message, /already a budget line named "Adult learning" in this year/);

    // An archived line keeps its name: restore it rather than adding another.
    await archiveRecord(db, TEST_ACTOR, "line", { id: line.id, version: line.version });
    const archivedName = await refusal(add(db, "line", "Adult learning"));
    assert.match(archivedName.message, /archived: restore it instead/);

    const other = await add(db, "line", "Community learning");
    const renameClash = await refusal(
      renameRecord(db, TEST_ACTOR, "line", {
        id: other.id,
        version: other.version,
        form: named("adult learning"),
      }),
    );
    assert.equal(renameClash.field, "name");

    const notOpen = await refusal(
      addRecord(db, TEST_ACTOR, "line", { yearCode: "2031-32", form: named("Adult learning 2031") }),
    );
    assert.equal(notOpen.field, "name");
    assert.match(notOpen.message, /2031\/32 is not open: open it in Monitoring periods first/);

    const archivedRename = await refusal(
      renameRecord(db, TEST_ACTOR, "line", {
        id: line.id,
        version: line.version + 1,
        form: named("Learning"),
      }),
    );
    assert.match(archivedRename.message, /is archived: restore it to change it/);

    const first = await refusal(
      moveRecord(db, TEST_ACTOR, "line", { id: other.id, version: other.version, direction: "up" }),
    );
    assert.match(first.message, /already first/);

    assert.deepEqual(await names(db, "lines"), ["Community learning"]);
    assert.deepEqual(
      (await actions(db, "budget-line", other.id)).map(([action]) => action),
      ["create"],
    );
  });

  test("an archived line leaves the quarter's pages and counts, keeps its forecasts, and takes no new one", async () => {
    const db = await newCouncil(fresh);
    await add(db, "line", "Bus services");
    const ferries = await add(db, "line", "Ferries");
    await buildForecastEntry(db, {
      quarter: 1,
      line: "Bus services",
      budget: 100_000_00,
      forecast: 104_000_00,
    });
    await buildForecastEntry(db, { quarter: 1, line: "Ferries", budget: 50_000_00, forecast: 49_000_00 });
    const before = await forecastOutturnReport(db, YEAR, 1);
    assert.deepEqual(
      before.lines?.map((line) => line.name),
      ["Bus services", "Ferries"],
    );

    await archiveRecord(db, TEST_ACTOR, "line", { id: ferries.id, version: ferries.version });
    const after = await forecastOutturnReport(db, YEAR, 1);
    assert.deepEqual(
      after.lines?.map((line) => line.name),
      ["Bus services"],
    );
    const [lines] = await quarterCompleteness(db, 2030, 1);
    assert.deepEqual(
      lines?.items.map((item) => item.name),
      ["Bus services"],
    );
    // Kept in history: the line's own page still lists its forecast.
    const detail = await budgetLineDetail(db, ferries.id);
    assert.equal(detail.quarters.filter((quarter) => quarter.forecast !== null).length, 1);
    assert.equal((await budgetStructure(db, YEAR)).archivedLines[0]?.forecasts, 1);
    await assert.rejects(lineForNewForecast(db, ferries.id, 2), BadRequest);
  });

  test("earmarked reserves are set up the same way; an archived one leaves entry and the reserves table", async () => {
    const db = await newCouncil(fresh);
    const winter = await add(db, "reserve", "Winter maintenance reserve");
    const flood = await add(db, "reserve", "Flood resilience reserve");
    assert.deepEqual(
      (await reservesForEntry(db, YEAR, 1)).rows.map((row) => row.name),
      ["Winter maintenance reserve", "Flood resilience reserve"],
    );
    await moveRecord(db, TEST_ACTOR, "reserve", { id: flood.id, version: flood.version, direction: "up" });
    const entry = async (name: string, pence: number) =>
      saveReserveBalances(db, TEST_ACTOR, {
        yearCode: YEAR,
        quarter: 1,
        figures: [{ key: name, name, pence, version: 0 }],
      });
    await entry("Winter maintenance reserve", 300_000_00);
    await entry("Flood resilience reserve", 120_000_00);
    assert.deepEqual(
      (await reservesReport(db, YEAR, 1)).reserves.map((reserve) => reserve.name),
      ["Flood resilience reserve", "Winter maintenance reserve"],
    );
    const duplicate = await refusal(add(db, "reserve", "winter MAINTENANCE reserve"));
    assert.match(duplicate.message, /already an earmarked reserve named "Winter maintenance reserve"/);

    const archived = await archiveRecord(db, TEST_ACTOR, "reserve", {
      id: winter.id,
      version: winter.version,
    });
    assert.deepEqual(
      (await reservesReport(db, YEAR, 1)).reserves.map((reserve) => reserve.name),
      ["Flood resilience reserve"],
    );
    assert.deepEqual(
      (await reservesForEntry(db, YEAR, 1)).rows.map((row) => row.name),
      ["Flood resilience reserve"],
    );
    // A form opened before the archive names it: refused, nothing saved.
    await refusal(entry("Winter maintenance reserve", 1));

    await restoreRecord(db, TEST_ACTOR, "reserve", { id: winter.id, version: archived.version });
    assert.deepEqual(
      (await reservesReport(db, YEAR, 1)).reserves.map((reserve) => [reserve.name, reserve.balance.pence]),
      [
        ["Flood resilience reserve", 120_000_00],
        ["Winter maintenance reserve", 300_000_00],
      ],
    );
    assert.deepEqual(
      (await actions(db, "earmarked-reserve", winter.id)).map(([action]) => action),
      ["create", "archive", "restore"],
    );
  });

  test("the approved budget's divisions take amounts typed as a council writes them", async () => {
    const db = await newCouncil(fresh);
    const highways = await add(db, "division", "Highways");
    const transport = await add(db, "division", "Transport");
    const headings = (await budgetStructure(db, YEAR)).headings;
    const amounts = validForm(divisionAmountsSchema(headings), {
      "amount-employees": "£1,234,567.89",
      "amount-premises": "250000",
      "amount-income": "-100,000",
      "amount-grants": "",
    }) as Record<string, number | null>;
    const saved = await setDivisionAmounts(db, TEST_ACTOR, {
      id: highways.id,
      version: highways.version,
      amounts: Object.fromEntries(
        headings.map((heading) => [heading.key, amounts[`amount-${heading.key}`] ?? null]),
      ),
    });
    const report = await approvedBudgetReport(db, YEAR);
    assert.deepEqual(
      report.divisions.map((row) => [row.division, row.net.pence]),
      [
        ["Highways", 123_456_789 + 25_000_000 - 10_000_000],
        ["Transport", 0],
      ],
    );

    // A figure that is not money is refused naming the heading; a stale form changes nothing.
    assert.throws(
      () => validForm(divisionAmountsSchema(headings), { "amount-transport": "twelve pounds" }),
      (error: unknown) =>
        error instanceof ValidationFailed &&
        error.errors[0]?.field === "amount-transport" &&
        /The amount for Transport could not be read/.test(error.errors[0].message),
    );
    await conflict(
      setDivisionAmounts(db, TEST_ACTOR, {
        id: highways.id,
        version: highways.version,
        amounts: { employees: 1 },
      }),
    );
    assert.equal((await approvedBudgetReport(db, YEAR)).divisions[0]?.net.pence, 138_456_789);

    await renameRecord(db, TEST_ACTOR, "division", {
      id: transport.id,
      version: transport.version,
      form: named("Public transport"),
    });
    await moveRecord(db, TEST_ACTOR, "division", { id: saved.id, version: saved.version, direction: "down" });
    assert.deepEqual(await names(db, "divisions"), ["Public transport", "Highways"]);
    const duplicate = await refusal(add(db, "division", "highways"));
    assert.equal(duplicate.field, "name");

    const moved = (await budgetStructure(db, YEAR)).divisions.find((row) => row.id === highways.id);
    assert.ok(moved);
    const archived = await archiveRecord(db, TEST_ACTOR, "division", {
      id: highways.id,
      version: moved.version,
    });
    assert.deepEqual(
      (await approvedBudgetReport(db, YEAR)).divisions.map((row) => row.division),
      ["Public transport"],
    );
    await restoreRecord(db, TEST_ACTOR, "division", { id: highways.id, version: archived.version });
    assert.deepEqual(
      (await approvedBudgetReport(db, YEAR)).divisions.map((row) => [row.division, row.net.pence]),
      [
        ["Public transport", 0],
        ["Highways", 138_456_789],
      ],
    );
    assert.deepEqual(
      (await actions(db, "budget-division", highways.id)).map(([action]) => action),
      ["create", "update", "move", "archive", "restore"],
    );
  });

  test("a savings target and its initiatives are set up, changed, moved, archived and restored", async () => {
    const db = await newCouncil(fresh);
    const initiative = (name: string, amount: string) => {
      const { name: named, ...values } = validForm(structureRecordSchema(KIND_NAMES.initiative.fields), {
        name,
        amount,
      }) as { name: string } & Record<string, number | string | null>;
      return { name: named, values };
    };
    const target = (currentYear: string, broughtForward = "") =>
      validForm(savingsTargetSchema, { currentYear, broughtForward });

    // An initiative hangs off the year's target: none can be added before the target is set.
    const early = await refusal(
      addRecord(db, TEST_ACTOR, "initiative", { yearCode: YEAR, form: initiative("Shared fleet", "1000") }),
    );
    assert.equal(early.field, "name");
    assert.match(early.message, /Set the 2030\/31 savings target first/);
    const negative = await refusal(
      setSavingsTarget(db, TEST_ACTOR, { yearCode: YEAR, version: null, form: target("-5") }),
    );
    assert.equal(negative.field, "currentYear");

    const set = await setSavingsTarget(db, TEST_ACTOR, {
      yearCode: YEAR,
      version: null,
      form: target("£1.2m", "£150,000.50"),
    });
    assert.equal(set.currentYearPence, 120_000_000);
    assert.equal(set.priorYearBroughtForwardPence, 15_000_050);
    assert.equal(set.portfolio, "Environment and Transport");
    // A second person who opened the form when there was no target does not overwrite it.
    await conflict(setSavingsTarget(db, TEST_ACTOR, { yearCode: YEAR, version: null, form: target("1") }));
    const changed = await setSavingsTarget(db, TEST_ACTOR, {
      yearCode: YEAR,
      version: set.version,
      form: target("1,000,000"),
    });
    assert.equal(changed.currentYearPence, 100_000_000);
    assert.equal(changed.priorYearBroughtForwardPence, 0);
    await conflict(
      setSavingsTarget(db, TEST_ACTOR, { yearCode: YEAR, version: set.version, form: target("2") }),
    );

    const fleet = await addRecord(db, TEST_ACTOR, "initiative", {
      yearCode: YEAR,
      form: initiative("Shared fleet", "£400,000"),
    });
    const depots = await addRecord(db, TEST_ACTOR, "initiative", {
      yearCode: YEAR,
      form: initiative("Depot rationalisation", "350000"),
    });
    const duplicate = await refusal(
      addRecord(db, TEST_ACTOR, "initiative", { yearCode: YEAR, form: initiative(" SHARED FLEET ", "1") }),
    );
    assert.equal(duplicate.field, "name");
    assert.match(duplicate.message, /already a savings initiative named "Shared fleet"/);
    const belowNothing = await refusal(
      addRecord(db, TEST_ACTOR, "initiative", { yearCode: YEAR, form: initiative("Refunds", "-1") }),
    );
    assert.equal(belowNothing.field, "amount");

    const renamed = await renameRecord(db, TEST_ACTOR, "initiative", {
      id: fleet.id,
      version: fleet.version,
      form: initiative("Shared vehicle fleet", "£450,000"),
    });
    assert.equal(renamed.version, fleet.version + 1);
    const stale = await conflict(
      renameRecord(db, TEST_ACTOR, "initiative", {
        id: fleet.id,
        version: fleet.version,
        form: initiative("Fleet", "1"),
      }),
    );
    assert.deepEqual(
      stale.fields.map((field) => [field.label, field.saved]),
      [
        ["Name", "Shared vehicle fleet"],
        ["Amount to be saved", "£450,000.00"],
        ["Budget holder", ""],
      ],
    );
    await moveRecord(db, TEST_ACTOR, "initiative", {
      id: depots.id,
      version: depots.version,
      direction: "up",
    });

    const model = await budgetStructure(db, YEAR);
    assert.deepEqual(
      model.initiatives.map((row) => [row.position, row.name, row.amountPence]),
      [
        [1, "Depot rationalisation", 35_000_000],
        [2, "Shared vehicle fleet", 45_000_000],
      ],
    );
    assert.equal(model.savings?.total, "£1,000,000.00");
    assert.equal(model.savings?.identified, "£800,000.00");
    assert.equal(model.savings?.unidentified, "£200,000.00");

    // Both are missing from the quarter until a forecast is entered.
    const savingsOf = async () =>
      (await quarterCompleteness(db, 2030, 1)).find((part) => part.key === "savings");
    assert.deepEqual(
      (await savingsOf())?.items.map((item) => [item.name, item.done]),
      [
        ["Depot rationalisation", false],
        ["Shared vehicle fleet", false],
      ],
    );
    await createInitiativeForecast(db, TEST_ACTOR, {
      initiativeId: depots.id,
      quarter: 1,
      entry: validForm(savingsForecastNewSchema, { forecastAchieved: "£300,000" }),
    });
    const report = await savingsReport(db, YEAR, 1);
    assert.ok(report.target);
    assert.equal(report.target.total.pence, 100_000_000);
    assert.deepEqual(
      report.initiatives?.map((row) => [row.name, row.amount.pence, row.forecastAchieved?.pence ?? null]),
      [
        ["Depot rationalisation", 35_000_000, 30_000_000],
        ["Shared vehicle fleet", 45_000_000, null],
      ],
    );

    // Archived: out of the quarter's list and the report, its forecast kept, no new forecast.
    const current = (await budgetStructure(db, YEAR)).initiatives.find((row) => row.id === depots.id);
    assert.ok(current);
    const archived = await archiveRecord(db, TEST_ACTOR, "initiative", {
      id: depots.id,
      version: current.version,
    });
    assert.deepEqual(
      (await savingsOf())?.items.map((item) => item.name),
      ["Shared vehicle fleet"],
    );
    const afterArchive = await savingsReport(db, YEAR, 1);
    assert.equal(afterArchive.target, null);
    assert.deepEqual(
      afterArchive.unreported.map((row) => row.name),
      ["Shared vehicle fleet"],
    );
    const kept = (await budgetStructure(db, YEAR)).archivedInitiatives;
    assert.deepEqual(
      kept.map((row) => [row.name, row.forecasts]),
      [["Depot rationalisation", 1]],
    );
    await assert.rejects(initiativeForNewForecast(db, depots.id, 2), BadRequest);
    const back = await restoreRecord(db, TEST_ACTOR, "initiative", {
      id: depots.id,
      version: archived.version,
    });
    assert.equal(back.position, 2);
    assert.deepEqual(
      (await actions(db, "savings-initiative", depots.id)).map(([action]) => action),
      ["create", "move", "archive", "restore"],
    );
    assert.deepEqual(
      (await actions(db, "savings-target", set.id)).map(([action]) => action),
      ["create", "update"],
    );
  });

  test("growth items are added with their amounts, changed, moved, archived and restored", async () => {
    const db = await newCouncil(fresh);
    const growth = (fields: Record<string, string>) => {
      const { name, ...values } = validForm(structureRecordSchema(KIND_NAMES.growth.fields), fields) as {
        name: string;
      } & Record<string, number | string | null>;
      return { name, values };
    };
    const add = async (fields: Record<string, string>) =>
      (await addRecord(db, TEST_ACTOR, "growth", {
        yearCode: YEAR,
        form: growth(fields),
      })) as unknown as GrowthRow;

    const noRef = await refusal(add({ name: "Gritting routes", ref: " " }));
    assert.equal(noRef.field, "ref");
    const belowNothing = await refusal(add({ name: "Gritting routes", ref: "G1", ongoing: "-10" }));
    assert.equal(belowNothing.field, "ongoing");
    const gritting = await add({
      name: "Gritting routes",
      ref: "G1",
      ongoing: "£250,000",
      oneOff: "",
      narrative: "Two more routes for the hill villages.",
    });
    assert.equal(gritting.ongoingPence, 25_000_000);
    assert.equal(gritting.oneOffPence, null);
    assert.equal(gritting.narrative, "Two more routes for the hill villages.");
    const buses = await add({ name: "Rural bus services", ref: "G2", oneOff: "£0.1m" });
    assert.equal(buses.oneOffPence, 10_000_000);
    const duplicate = await refusal(add({ name: "rural BUS services", ref: "G3" }));
    assert.equal(duplicate.field, "name");
    assert.match(duplicate.message, /already a growth item named "Rural bus services"/);

    const changed = (await renameRecord(db, TEST_ACTOR, "growth", {
      id: gritting.id,
      version: gritting.version,
      form: growth({ name: "Winter gritting routes", ref: "G1", ongoing: "260000" }),
    })) as unknown as GrowthRow;
    assert.equal(changed.name, "Winter gritting routes");
    assert.equal(changed.ongoingPence, 26_000_000);
    await conflict(
      renameRecord(db, TEST_ACTOR, "growth", {
        id: gritting.id,
        version: gritting.version,
        form: growth({ name: "Gritting", ref: "G1" }),
      }),
    );
    await moveRecord(db, TEST_ACTOR, "growth", { id: buses.id, version: buses.version, direction: "up" });
    assert.deepEqual(
      (await budgetStructure(db, YEAR)).growth.map((item) => [item.position, item.ref, item.name]),
      [
        [1, "G2", "Rural bus services"],
        [2, "G1", "Winter gritting routes"],
      ],
    );
    const growthOf = async () =>
      (await quarterCompleteness(db, 2030, 1)).find((part) => part.key === "growth");
    assert.deepEqual(
      (await growthOf())?.items.map((item) => item.name),
      ["G2 Rural bus services", "G1 Winter gritting routes"],
    );

    const current = (await budgetStructure(db, YEAR)).growth.find((item) => item.id === buses.id);
    assert.ok(current);
    const archived = await archiveRecord(db, TEST_ACTOR, "growth", {
      id: buses.id,
      version: current.version,
    });
    assert.deepEqual(
      (await growthOf())?.items.map((item) => item.name),
      ["G1 Winter gritting routes"],
    );
    assert.deepEqual(
      (await budgetStructure(db, YEAR)).archivedGrowth.map((item) => item.name),
      ["Rural bus services"],
    );
    // Spend sent from a form opened before the item was archived is refused, naming it.
    const spend = await refusal(
      saveGrowthSpend(db, TEST_ACTOR, {
        yearCode: YEAR,
        quarter: 1,
        figures: [{ key: String(buses.id), name: "G2 Rural bus services", pence: 5_000_000, version: 0 }],
      }),
    );
    assert.match(spend.message, /The growth item "G2 Rural bus services" is archived/);
    await restoreRecord(db, TEST_ACTOR, "growth", { id: buses.id, version: archived.version });
    assert.deepEqual(
      (await actions(db, "growth-item", buses.id)).map(([action]) => action),
      ["create", "move", "archive", "restore"],
    );
    assert.deepEqual(
      (await actions(db, "growth-item", gritting.id)).map(([action]) => action),
      ["create", "update"],
    );
  });
});
