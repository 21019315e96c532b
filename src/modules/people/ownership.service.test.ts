import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import {
  buildBudgetMonitoring,
  buildCouncil,
  buildMeasure,
  buildMonitoringYear,
  buildOpenQuarter,
  idOf,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { buildPerson } from "../../../test/helpers/people.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import type { Role } from "../../domain/roles.ts";
import { createForecast } from "../finance/finance.budget.ts";
import { recordPeriodValue } from "../measures/measures.service.ts";
import { requireOpenPeriod } from "../periods/periods.service.ts";
import { assessRisk, recordProgress } from "../plan/plan.service.ts";
import { NotTheOwner } from "./ownership.service.ts";

const OWNER = "Morgan Ashby";

/** A made-up council: one deliverable and risk and measure led by Morgan Ashby, one of each by someone else. */
async function setUp(db: Database) {
  const built = await buildCouncil(db, {
    departmentName: "Environment",
    deliverables: [
      { title: "Resurface the market square", leadOfficers: [{ name: "morgan  ashby", qualifier: null }] },
      { title: "Plant street trees", leadAsWritten: "Head of Parks" },
    ],
    risks: [
      { description: "Contractor capacity", owner: OWNER, inherent: [3, 3] },
      { description: "Tree disease", owner: "Head of Parks", inherent: [2, 4] },
    ],
  });
  await buildMonitoringYear(db, 2030);
  await buildOpenQuarter(db, 2030, 2);
  const ownMeasure = await buildMeasure(db, {
    title: "Potholes repaired in a week",
    unit: "percent",
    owner: OWNER,
  });
  const otherMeasure = await buildMeasure(db, {
    title: "Trees planted",
    unit: "count",
    owner: "Head of Parks",
  });
  await buildBudgetMonitoring(db, {
    startYear: 2030,
    quarter: 1,
    lines: [{ name: "Highways", budget: 100, forecast: 100 }],
  });
  const [line] = await queryRows<{ id: number }>(
    db,
    sql`select id from monitoring_lines where name = 'Highways'`,
  );
  if (!line) throw new Error("no line");
  const person = (roles: Role[], name = OWNER) =>
    buildPerson(db, { councilId: built.councilId, roles, name });
  return { ...built, ownMeasure, otherMeasure, lineId: Number(line.id), person };
}

async function version(db: Database, table: "deliverables" | "risks", id: number): Promise<number> {
  const [row] = await queryRows<{ version: number }>(
    db,
    sql`select version from ${sql.identifier(table)} where id = ${id}`,
  );
  return Number(row?.version);
}

async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await queryRows<{ n: string }>(db, query);
  return Number(row?.n);
}

const progress = (narrative: string) => ({
  quarter: { financialYear: "2030/31", quarter: 2 },
  rating: "good" as const,
  narrative,
});

describeOnBothDatabases("owners limited to what they own", (fresh) => {
  test("an owner records progress, values and risk reviews on what they own, and is refused on anything else", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const owner = await set.person(["owner"]);
    const own = idOf(set.deliverableIds, "Resurface the market square");
    const other = idOf(set.deliverableIds, "Plant street trees");

    await recordProgress(db, owner.email, {
      deliverableId: own,
      version: await version(db, "deliverables", own),
      progress: progress("Half the square is done."),
    });
    await assert.rejects(
      recordProgress(db, owner.email, {
        deliverableId: other,
        version: await version(db, "deliverables", other),
        progress: progress("Not mine."),
      }),
      (error: unknown) =>
        error instanceof NotTheOwner &&
        /You are not a lead officer of this deliverable \(it names Head of Parks\)/.test(error.message) &&
        /Performance officer or Administrator/.test(error.message),
    );
    assert.equal(
      await count(
        db,
        sql`select count(*)::text as n from deliverable_progress where deliverable_id = ${other}`,
      ),
      0,
    );

    const value = (measureId: number) =>
      recordPeriodValue(
        db,
        owner.email,
        {
          measureId,
          period: monitoringPeriod(2030, "quarter", 2),
          text: "80%",
          status: "final",
          notes: null,
          replacing: null,
        },
        requireOpenPeriod,
      );
    await value(set.ownMeasure.id);
    await assert.rejects(value(set.otherMeasure.id), NotTheOwner);
    assert.equal(
      await count(
        db,
        sql`select count(*)::text as n from measure_values where measure_id = ${set.otherMeasure.id}`,
      ),
      0,
    );

    const ownRisk = idOf(set.riskIds, "Contractor capacity");
    const otherRisk = idOf(set.riskIds, "Tree disease");
    const assessment = (owner: string) => ({
      inherentLikelihood: 4,
      inherentImpact: 3,
      residualLikelihood: 2,
      residualImpact: 2,
      owner,
      reviewDate: null,
    });
    await assessRisk(db, owner.email, {
      riskId: ownRisk,
      version: await version(db, "risks", ownRisk),
      assessment: assessment(OWNER),
    });
    await assert.rejects(
      assessRisk(db, owner.email, {
        riskId: ownRisk,
        version: await version(db, "risks", ownRisk),
        assessment: assessment("Someone Else"),
      }),
      (error: unknown) => error instanceof NotTheOwner && /change who owns this risk/.test(error.message),
    );
    await assert.rejects(
      assessRisk(db, owner.email, {
        riskId: otherRisk,
        version: await version(db, "risks", otherRisk),
        assessment: assessment("Head of Parks"),
      }),
      NotTheOwner,
    );
    const [risk] = await queryRows<{ owner: string; inherent_likelihood: number }>(
      db,
      sql`select owner, inherent_likelihood from risks where id = ${otherRisk}`,
    );
    assert.deepEqual([risk?.owner, Number(risk?.inherent_likelihood)], ["Head of Parks", 2]);

    await assert.rejects(
      createForecast(db, owner.email, {
        lineId: set.lineId,
        quarter: 2,
        entry: { controllableBudget: 100, forecastOutturn: 90 },
      }),
      (error: unknown) => error instanceof NotTheOwner && /do not record a budget holder/.test(error.message),
    );
    assert.equal(
      await count(db, sql`select count(*)::text as n from monitoring_forecasts where quarter = 2`),
      0,
    );
  });

  test("an officer writes anything of their area; a viewer with the owner's name writes nothing", async () => {
    const { db } = await fresh();
    const set = await setUp(db);
    const officer = await set.person(["owner", "performance-officer"], "Sam Officer");
    const other = idOf(set.deliverableIds, "Plant street trees");
    await recordProgress(db, officer.email, {
      deliverableId: other,
      version: await version(db, "deliverables", other),
      progress: progress("Entered for the lead."),
    });
    await assert.rejects(
      createForecast(db, officer.email, {
        lineId: set.lineId,
        quarter: 2,
        entry: { controllableBudget: 100, forecastOutturn: 90 },
      }),
      NotTheOwner,
    );
    const viewer = await set.person(["viewer"]);
    const own = idOf(set.deliverableIds, "Resurface the market square");
    await assert.rejects(
      recordProgress(db, viewer.email, {
        deliverableId: own,
        version: await version(db, "deliverables", own),
        progress: progress("No role."),
      }),
      (error: unknown) =>
        error instanceof NotTheOwner && /do not hold a role that may record its progress/.test(error.message),
    );
    assert.equal(
      await count(
        db,
        sql`select count(*)::text as n from deliverable_progress where deliverable_id = ${own}`,
      ),
      0,
    );
  });
});
