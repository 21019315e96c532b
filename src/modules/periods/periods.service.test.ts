import assert from "node:assert/strict";
import { test } from "node:test";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import {
  councils,
  deliverables,
  departments,
  financialYears,
  monitoringForecasts,
  monitoringLines,
  plans,
  savingsInitiatives,
  savingsTargets,
} from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { NOTHING_CARRIED } from "../finance/finance.years.ts";
import { EMPTY_NARRATIVE, saveReportNarrative } from "./periods.narrative.ts";
import {
  closePeriod,
  defaultPeriod,
  findPeriod,
  frozenDocument,
  listPeriods,
  MissingItems,
  openPeriod,
  openYear,
  PeriodNotOpen,
  PeriodRefused,
  periodSections,
  publishPeriod,
  requireOpenPeriod,
} from "./periods.service.ts";

// Builders: the few rows each rule needs, made up for the test.

async function aDepartment(db: Database, frequency: "quarterly" | "monthly" = "quarterly") {
  const [council] = await db.insert(councils).values({ name: "Anytown Borough Council" }).returning();
  if (!council) throw new Error("no council");
  const [department] = await db
    .insert(departments)
    .values({ councilId: council.id, name: "Place", monitoringFrequency: frequency })
    .returning();
  if (!department) throw new Error("no department");
  return department;
}

async function aPlanWithDeliverable(db: Database, departmentId: number, fromYear: number, toYear: number) {
  const [plan] = await db
    .insert(plans)
    .values({
      departmentId,
      slug: `plan-${fromYear}`,
      title: "Place Plan",
      planVersion: "original",
      periodAsWritten: `${fromYear}-${toYear}`,
      fromYear,
      toYear,
    })
    .returning();
  if (!plan) throw new Error("no plan");
  const [deliverable] = await db
    .insert(deliverables)
    .values({
      planId: plan.id,
      slug: `deliverable-${fromYear}`,
      position: 1,
      section: "1",
      sectionTitle: "Streets",
      groupKind: "priority",
      groupTitle: "Clean streets",
      title: "Resurface the high street",
      leadAsWritten: "Head of Highways",
      startFinish: "2030-2031",
    })
    .returning();
  if (!deliverable) throw new Error("no deliverable");
  return deliverable;
}

async function aBudgetYear(db: Database, code: string, label: string, lineNames: string[]) {
  const [year] = await db.insert(financialYears).values({ code, label }).returning();
  if (!year) throw new Error("no year");
  const lines = [];
  for (const [position, name] of lineNames.entries()) {
    const [line] = await db
      .insert(monitoringLines)
      .values({ financialYearId: year.id, portfolio: "Place", name, position })
      .returning();
    if (line) lines.push(line);
  }
  return { year, lines };
}

const Q1 = monitoringPeriod(2030, "quarter", 1);
const Q2 = monitoringPeriod(2030, "quarter", 2);

describeOnBothDatabases("monitoring periods", (fresh) => {
  test("a year is opened once, with its periods opened one by one, audited", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await assert.rejects(
      openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED }),
      PeriodRefused,
    );
    await openPeriod(db, TEST_ACTOR, Q2);
    await openPeriod(db, TEST_ACTOR, Q1);
    await assert.rejects(openPeriod(db, TEST_ACTOR, Q1), /already open for entry/);
    // A month of a quarterly year, and a period of a year not opened, are refused.
    await assert.rejects(
      openPeriod(db, TEST_ACTOR, monitoringPeriod(2030, "month", 1)),
      /monitored quarterly/,
    );
    await assert.rejects(
      openPeriod(db, TEST_ACTOR, monitoringPeriod(2031, "quarter", 1)),
      /Open the year first/,
    );
    assert.deepEqual(
      (await listPeriods(db)).map((state) => [state.key, state.status]),
      [
        ["2030-31-q1", "open"],
        ["2030-31-q2", "open"],
      ],
    );
    assert.equal((await listAuditEvents(db, "monitoring-period", "2030-31-q1")).length, 1);
    assert.equal((await listAuditEvents(db, "monitoring-year", "2030/31")).length, 1);
  });

  test("a monthly department's year opens months", async () => {
    const { db } = await fresh();
    await aDepartment(db, "monthly");
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, monitoringPeriod(2030, "month", 1));
    await assert.rejects(openPeriod(db, TEST_ACTOR, Q1), /monitored monthly/);
  });

  test("closing or publishing with items missing needs a confirmation that names them", async () => {
    const { db } = await fresh();
    const department = await aDepartment(db);
    await aPlanWithDeliverable(db, department.id, 2030, 2031);
    const { lines } = await aBudgetYear(db, "2030-31", "2030/31", ["Highways", "Parks"]);
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, Q1);
    const line = lines[0];
    assert.ok(line);
    await db.insert(monitoringForecasts).values({
      lineId: line.id,
      quarter: 1,
      controllableBudgetPence: 100_00,
      forecastOutturnPence: 120_00,
    });

    const sections = await periodSections(db, Q1);
    const lineSection = sections.find((part) => part.key === "budget-lines");
    assert.deepEqual([lineSection?.done, lineSection?.total], [1, 2]);
    assert.deepEqual(
      lineSection?.missing.map((item) => item.name),
      ["Parks"],
    );
    const progress = sections.find((part) => part.key === "deliverables");
    assert.deepEqual(
      progress?.missing.map((item) => [item.name, item.owner]),
      [["Resurface the high street", "Head of Highways"]],
    );

    const state = await findPeriod(db, Q1);
    assert.ok(state);
    /** The error an attempt was refused with; null if it was not refused. */
    const refusal = (attempt: Promise<unknown>) =>
      attempt.then(
        () => null,
        (error: unknown) => error,
      );
    const refused = await refusal(
      closePeriod(db, TEST_ACTOR, { period: Q1, version: state.version, confirmMissing: false }),
    );
    assert.ok(refused instanceof MissingItems);
    assert.ok(
      refused.missing.some((item) => item.item === "Parks" && item.section.startsWith("Budget lines")),
    );
    assert.equal((await findPeriod(db, Q1))?.status, "open");
    // Publishing with items missing and unconfirmed is refused the same way, nothing frozen.
    const unpublished = await refusal(
      publishPeriod(db, TEST_ACTOR, { period: Q1, version: state.version, confirmMissing: false }),
    );
    assert.ok(unpublished instanceof MissingItems);
    assert.ok(unpublished.missing.some((item) => item.item === "Parks"));
    const stillOpen = await findPeriod(db, Q1);
    assert.equal(stillOpen?.status, "open");
    assert.equal(stillOpen?.version, state.version);
    assert.equal(stillOpen?.publishedAt, null);

    await closePeriod(db, TEST_ACTOR, { period: Q1, version: state.version, confirmMissing: true });
    const closed = await findPeriod(db, Q1);
    assert.equal(closed?.status, "closed");
    assert.ok(closed?.missingWhenClosed?.some((item) => item.item === "Parks"));
    await assert.rejects(
      closePeriod(db, TEST_ACTOR, { period: Q1, version: closed?.version ?? 0, confirmMissing: true }),
      /closed for entry: it cannot be closed/,
    );
    await assert.rejects(requireOpenPeriod(db, Q1), PeriodNotOpen);
  });

  test("the report narrative is a section of a quarter and of a quarter-end month, done once written", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, Q1);
    const narrative = async () => (await periodSections(db, Q1)).find((part) => part.key === "narrative");
    const before = await narrative();
    assert.deepEqual([before?.done, before?.total], [0, 1]);
    assert.equal(before?.missing[0]?.href, "/reports/quarterly/2030-31/q1/narrative");
    await saveReportNarrative(db, TEST_ACTOR, {
      period: Q1,
      version: 0,
      text: { ...EMPTY_NARRATIVE, purpose: "To report the first quarter." },
      returnUrl: "/",
    });
    assert.deepEqual([(await narrative())?.done, (await narrative())?.missing.length], [1, 0]);
  });

  test("in a year monitored monthly only the quarter-end month asks for the narrative", async () => {
    const { db } = await fresh();
    await aDepartment(db, "monthly");
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    const keys = async (month: number) =>
      (await periodSections(db, monitoringPeriod(2030, "month", month))).map((part) => part.key);
    assert.ok(!(await keys(2)).includes("narrative"));
    assert.ok((await keys(3)).includes("narrative"));
    const month3 = (await periodSections(db, monitoringPeriod(2030, "month", 3))).find(
      (part) => part.key === "narrative",
    );
    assert.equal(month3?.items[0]?.href, "/reports/quarterly/2030-31/q1/narrative");
  });

  test("a stale version is a conflict, nothing changed", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, Q1);
    const state = await findPeriod(db, Q1);
    assert.ok(state);
    await closePeriod(db, TEST_ACTOR, { period: Q1, version: state.version, confirmMissing: true });
    await assert.rejects(
      publishPeriod(db, TEST_ACTOR, { period: Q1, version: state.version, confirmMissing: true }),
      Conflict,
    );
    assert.equal((await findPeriod(db, Q1))?.status, "closed");
  });

  test("pages default to the latest published period, else the latest with budget monitoring", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    assert.equal(await defaultPeriod(db, []), null);
    assert.deepEqual(await defaultPeriod(db, [Q2, Q1]), { period: Q2, reason: "budget-monitoring" });
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, Q1);
    await openPeriod(db, TEST_ACTOR, Q2);
    const state = await findPeriod(db, Q1);
    await publishPeriod(db, TEST_ACTOR, { period: Q1, version: state?.version ?? 0, confirmMissing: true });
    assert.deepEqual(await defaultPeriod(db, [Q2, Q1]), { period: Q1, reason: "published" });
    await assert.rejects(
      publishPeriod(db, TEST_ACTOR, { period: Q1, version: (state?.version ?? 0) + 1, confirmMissing: true }),
      /published: it cannot be published/,
    );
  });

  test("opening a year carries forward only what the officer chooses", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    const { year } = await aBudgetYear(db, "2030-31", "2030/31", ["Highways", "Parks"]);
    const [target] = await db
      .insert(savingsTargets)
      .values({
        financialYearId: year.id,
        portfolio: "Place",
        currentYearPence: 5_000_00,
        priorYearBroughtForwardPence: 0,
      })
      .returning();
    assert.ok(target);
    await db.insert(savingsInitiatives).values([
      { targetId: target.id, name: "Shared depot", amountPence: 3_000_00, position: 1 },
      { targetId: target.id, name: "LED lighting", amountPence: 2_000_00, position: 2 },
    ]);
    const { carried } = await openYear(db, TEST_ACTOR, {
      startYear: 2031,
      carryForward: { approvedBudget: false, lines: true, savingsInitiatives: true },
    });
    assert.deepEqual(carried, { divisions: 0, lines: 2, initiatives: 2 });
    const sections = await periodSections(db, monitoringPeriod(2031, "quarter", 1));
    assert.deepEqual(
      sections.find((part) => part.key === "budget-lines")?.missing.map((item) => item.name),
      ["Highways", "Parks"],
    );
    assert.deepEqual(
      sections.find((part) => part.key === "savings")?.missing.map((item) => item.name),
      ["Shared depot", "LED lighting"],
    );
    const { carried: none } = await openYear(db, TEST_ACTOR, {
      startYear: 2032,
      carryForward: NOTHING_CARRIED,
    });
    assert.deepEqual(none, { divisions: 0, lines: 0, initiatives: 0 });
  });

  test("a published period's document is produced once and kept byte for byte; an open one is live", async () => {
    const { db } = await fresh();
    await aDepartment(db);
    await openYear(db, TEST_ACTOR, { startYear: 2030, carryForward: NOTHING_CARRIED });
    await openPeriod(db, TEST_ACTOR, Q1);
    let figure = 1;
    const produce = async () => Buffer.from(`figure ${figure}`);
    assert.equal((await frozenDocument(db, Q1, "report", "docx", produce)).toString(), "figure 1");
    figure = 2;
    assert.equal((await frozenDocument(db, Q1, "report", "docx", produce)).toString(), "figure 2");
    const state = await findPeriod(db, Q1);
    await publishPeriod(db, TEST_ACTOR, { period: Q1, version: state?.version ?? 0, confirmMissing: true });
    const first = await frozenDocument(db, Q1, "report", "docx", produce);
    figure = 3;
    const again = await frozenDocument(db, Q1, "report", "docx", produce);
    assert.deepEqual(again, first);
    assert.equal(again.toString(), "figure 2");
    // Another format is its own copy, produced from the figures when first asked for.
    assert.equal((await frozenDocument(db, Q1, "report", "pdf", produce)).toString(), "figure 3");
  });
});
