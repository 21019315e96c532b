import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { withApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildMonitoringYear,
  buildMonthlyCouncil,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { monitoringLines } from "../../db/schema/index.ts";
import { type MonitoringPeriod, monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { periodSections } from "../periods/periods.service.ts";
import { explanationRequirementSchema } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

/**
 * Which budget lines must explain their variance: a council budget setting (decision 0040). A
 * made-up council whose own thresholds make one line Red, one Amber and one Green.
 */

const YEAR = 2053;
const CODE = "2053-54";

/** Red at 10% or £50,000, whichever is lower; any smaller overspend Amber. */
async function councilThresholds(db: Database) {
  const { row } = await finance.ratingSettings(db);
  await finance.updateRatingSettings(db, TEST_ACTOR, {
    serviceAreaPercentage: 1_000,
    serviceAreaAmount: 50_000_00,
    fundPercentage: 100,
    fundAmount: 1_000_000_00,
    version: row.version,
  });
}

/** Three lines with budget holders and a forecast each for `at`: Red, Amber and Green. */
async function threeLines(db: Database, at: { quarter: number; month: number | null }) {
  const year = await finance.recordFinancialYear(db, CODE, "2053/54");
  const specs = [
    { name: "Harbour dredging", owner: "Priya Holder", budget: 200_000_00, forecast: 260_000_00 },
    { name: "Lighthouse upkeep", owner: "Tom Keeper", budget: 100_000_00, forecast: 101_000_00 },
    { name: "Pier lighting", owner: null, budget: 80_000_00, forecast: 70_000_00 },
  ];
  const ids: Record<string, number> = {};
  const versions: Record<string, number> = {};
  for (const [position, spec] of specs.entries()) {
    const [line] = await db
      .insert(monitoringLines)
      .values({ financialYearId: year.id, portfolio: "Coast", name: spec.name, position, owner: spec.owner })
      .returning();
    const lineId = line?.id ?? 0;
    ids[spec.name] = lineId;
    const created = await finance.createForecast(db, TEST_ACTOR, {
      lineId,
      quarter: at.quarter,
      month: at.month,
      entry: { controllableBudget: spec.budget, forecastOutturn: spec.forecast },
    });
    versions[spec.name] = created.forecast.version;
  }
  return { ids, versions };
}

async function setRequirement(db: Database, requirement: "none" | "red" | "red-amber") {
  const { version } = await finance.explanationRequirement(db);
  await finance.updateExplanationRequirement(db, TEST_ACTOR, { explanationsRequired: requirement, version });
}

async function budgetLines(db: Database, period: MonitoringPeriod) {
  const section = (await periodSections(db, period)).find((part) => part.key === "budget-lines");
  assert.ok(section, "the period lists its budget lines");
  return section;
}

const missingOf = async (db: Database, period: MonitoringPeriod) =>
  (await budgetLines(db, period)).missing.map((item) => [item.name, item.owner, item.href]);

describeOnBothDatabases("budget lines that must explain their variance", (fresh) => {
  test("a quarter: none asks nothing, red asks the Red line until explained, red-amber the Amber one too", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
    await buildMonitoringYear(db, YEAR);
    await buildOpenQuarter(db, YEAR, 2);
    await councilThresholds(db);
    const { ids, versions } = await threeLines(db, { quarter: 2, month: null });
    const quarter = monitoringPeriod(YEAR, "quarter", 2);
    const edit = (name: string) => `/budget/lines/${ids[name]}/forecasts/2/edit`;

    // The default: explanations optional, nothing missing, the note says so.
    assert.equal((await finance.explanationRequirement(db)).requirement, "none");
    const optional = await budgetLines(db, quarter);
    assert.deepEqual([optional.done, optional.total, optional.missing.length], [3, 3, 0]);
    assert.match(optional.note ?? "", /Explanations are optional/);

    await setRequirement(db, "red");
    assert.deepEqual(await missingOf(db, quarter), [
      ["Harbour dredging: explanation of its variance (rated Red)", "Priya Holder", edit("Harbour dredging")],
    ]);
    assert.match(
      (await budgetLines(db, quarter)).note ?? "",
      /requires an explanation from each line rated Red,/,
    );

    // Explained: no longer missing, counted as done.
    await finance.updateForecast(db, TEST_ACTOR, {
      lineId: ids["Harbour dredging"] ?? 0,
      quarter: 2,
      edit: {
        controllableBudget: 200_000_00,
        forecastOutturn: 260_000_00,
        explanation: "Silt after the winter storms needed a second dredge.",
        version: versions["Harbour dredging"] ?? 0,
      },
    });
    const explained = await budgetLines(db, quarter);
    assert.deepEqual([explained.done, explained.total, explained.missing.length], [4, 4, 0]);

    await setRequirement(db, "red-amber");
    assert.deepEqual(await missingOf(db, quarter), [
      [
        "Lighthouse upkeep: explanation of its variance (rated Amber)",
        "Tom Keeper",
        edit("Lighthouse upkeep"),
      ],
    ]);
    // The period page lists it with its budget holder, linking to the line's forecast form.
    await withApp(db, async (app) => {
      const page = await app.inject(`/periods/${CODE}/q2`);
      assert.equal(page.statusCode, 200);
      const link = `href="${edit("Lighthouse upkeep")}"[^>]*>Lighthouse upkeep: explanation of its variance \\(rated Amber\\)`;
      assert.match(
        page.body,
        new RegExp(
          `${link}<span class="govuk-visually-hidden">: enter it</span></a> <span[^>]*>Owner: Tom Keeper`,
        ),
      );
    });
  });

  test("a month: the month's own forecasts are rated and asked", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, { startYear: YEAR, openMonths: [5] });
    await councilThresholds(db);
    const { ids } = await threeLines(db, { quarter: 2, month: 5 });
    await setRequirement(db, "red-amber");
    const month = monitoringPeriod(YEAR, "month", 5);
    assert.deepEqual(
      (await missingOf(db, month)).map(([name, owner]) => [name, owner]),
      [
        ["Harbour dredging: explanation of its variance (rated Red)", "Priya Holder"],
        ["Lighthouse upkeep: explanation of its variance (rated Amber)", "Tom Keeper"],
      ],
    );
    assert.equal(
      (await missingOf(db, month))[0]?.[2],
      `/budget/lines/${ids["Harbour dredging"]}/forecasts/m5/edit`,
    );
  });

  test("the setting: a bad value names the field, a stale version is refused, a change is audited", async () => {
    const { db } = await fresh();
    await buildCouncil(db);
    assert.throws(
      () => validForm(explanationRequirementSchema, { explanationsRequired: "purple", version: "1" }),
      (error: unknown) =>
        error instanceof ValidationFailed &&
        error.errors.length === 1 &&
        error.errors[0]?.field === "explanationsRequired",
    );
    const before = await finance.explanationRequirement(db);
    await finance.updateExplanationRequirement(db, TEST_ACTOR, {
      explanationsRequired: "red",
      version: before.version,
    });
    const [event] = await listAuditEvents(db, "finance-settings", 1);
    assert.equal(event?.actor, TEST_ACTOR);
    assert.match(event?.summary ?? "", /A budget line rated Red must explain its variance/);
    assert.deepEqual(event?.before, { explanationsRequired: "none", version: before.version });
    assert.deepEqual(event?.after, { explanationsRequired: "red", version: before.version + 1 });
    await assert.rejects(
      finance.updateExplanationRequirement(db, TEST_ACTOR, {
        explanationsRequired: "red-amber",
        version: before.version,
      }),
      (error: unknown) => error instanceof Conflict && error.fields.length === 1,
    );
    assert.equal((await finance.explanationRequirement(db)).requirement, "red");
    // The database refuses a value the form would, whatever writes it.
    await assert.rejects(db.execute(sql`update finance_settings set explanations_required = 'purple'`));
    assert.equal((await finance.explanationRequirement(db)).requirement, "red");
  });

  test("the settings page shows the field; 400 naming it, 303 with the change, 409 when stale", async () => {
    const { db } = await fresh();
    await buildCouncil(db);
    await withApp(db, async (app) => {
      const { token, cookie, page } = await formSession(app, "/budget/settings");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Budget lines that must explain their variance/);
      assert.match(page.body, /name="explanationsRequired" type="radio" value="none" checked/);
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: "/budget/settings/explanations",
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const refused = await post({ explanationsRequired: "purple", version });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: /);
      assert.match(refused.body, /href="#explanationsRequired"/);
      assert.equal((await finance.explanationRequirement(db)).requirement, "none");
      const saved = await post({ explanationsRequired: "red-amber", version });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/settings");
      const after = await app.inject({ url: "/budget/settings", headers: { cookie } });
      assert.match(after.body, /name="explanationsRequired" type="radio" value="red-amber" checked/);
      assert.match(after.body, /A budget line rated Red or Amber must explain its variance/);
      const stale = await post({ explanationsRequired: "red", version });
      assert.equal(stale.statusCode, 409);
      assert.equal((await finance.explanationRequirement(db)).requirement, "red-amber");
    });
  });
});
