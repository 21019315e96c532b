import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildForecastEntry,
  buildMonitoringYear,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { monitoringLines } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict } from "../../errors.ts";
import type { Block } from "../../reports/model.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { periodSections } from "../periods/periods.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import * as finance from "./finance.service.ts";

/**
 * A budget line's explanation of its variance, written with its forecast for a period: saved,
 * version-checked and audited with the figures, shown on the line's page and the period's budget
 * page, counted (as optional) on the period page, and printed under the report's key variances.
 * A made-up council: a year whose lines are entered through the forms.
 */

const YEAR = 2047;
const CODE = "2047-48";

async function aYearWithTwoLines(db: Database) {
  await buildCouncil(db, { plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
  const year = await buildMonitoringYear(db, YEAR);
  await buildOpenQuarter(db, YEAR, 2);
  const yearRow = await finance.recordFinancialYear(db, CODE, "2047/48");
  const ids: Record<string, number> = {};
  for (const [position, name] of ["Ferries", "Bridges"].entries()) {
    const [row] = await db
      .insert(monitoringLines)
      .values({ financialYearId: yearRow.id, portfolio: "Harbours", name, position })
      .returning();
    ids[name] = row?.id ?? 0;
  }
  return { year, ids };
}

function textsOf(blocks: readonly Block[]): string[] {
  return blocks.flatMap((block) =>
    block.kind === "paragraph" || block.kind === "subheading" ? [block.text] : [],
  );
}

describeOnBothDatabases("a budget line's explanation of its variance", (fresh) => {
  test("saved and audited with the forecast, kept by a figures-only change, printed in the report", async () => {
    const { db } = await fresh();
    const { ids } = await aYearWithTwoLines(db);
    const created = await finance.createForecast(db, TEST_ACTOR, {
      lineId: ids.Ferries ?? 0,
      quarter: 2,
      entry: {
        controllableBudget: 1_000_000_00,
        forecastOutturn: 1_250_000_00,
        explanation: "Fuel costs rose in the summer.\n\nA second vessel was chartered for six weeks.",
      },
    });
    assert.equal(
      created.forecast.explanation,
      "Fuel costs rose in the summer.\n\nA second vessel was chartered for six weeks.",
    );
    await buildForecastEntry(db, {
      startYear: YEAR,
      quarter: 2,
      line: "Bridges",
      budget: 50_000_00,
      forecast: 40_000_00,
    });

    const [createdEvent] = await listAuditEvents(db, "monitoring-forecast", created.forecast.id);
    assert.equal(
      (createdEvent?.after as { explanation?: string } | undefined)?.explanation,
      "Fuel costs rose in the summer.\n\nA second vessel was chartered for six weeks.",
    );

    // A change of the figures alone (as a spreadsheet upload makes) keeps the explanation.
    await finance.updateForecast(db, TEST_ACTOR, {
      lineId: ids.Ferries ?? 0,
      quarter: 2,
      edit: { controllableBudget: 1_000_000_00, forecastOutturn: 1_240_000_00, version: 1 },
    });
    let outturn = await finance.forecastOutturnReport(db, CODE, 2);
    const ferries = outturn.lines?.find((line) => line.name === "Ferries");
    assert.deepEqual(ferries?.explanationParagraphs, [
      "Fuel costs rose in the summer.",
      "A second vessel was chartered for six weeks.",
    ]);
    // The form's change of the explanation is audited before and after.
    await finance.updateForecast(db, TEST_ACTOR, {
      lineId: ids.Ferries ?? 0,
      quarter: 2,
      edit: {
        controllableBudget: 1_000_000_00,
        forecastOutturn: 1_240_000_00,
        explanation: "Fuel costs rose in the summer.",
        version: 2,
      },
    });
    const [changed] = await listAuditEvents(db, "monitoring-forecast", created.forecast.id);
    assert.equal(changed?.action, "update");
    assert.equal(
      (changed?.before as { explanation?: string } | undefined)?.explanation,
      "Fuel costs rose in the summer.\n\nA second vessel was chartered for six weeks.",
    );
    assert.equal(
      (changed?.after as { explanation?: string } | undefined)?.explanation,
      "Fuel costs rose in the summer.",
    );
    outturn = await finance.forecastOutturnReport(db, CODE, 2);
    assert.equal(outturn.lines?.find((line) => line.name === "Bridges")?.explanation, "");

    // The report's key variances: the explained line, numbered and headed with its overspend.
    const report = await quarterlyReport(db, CODE, 2);
    const variances = report.sections.find((section) => section.id === "key-variances");
    assert.deepEqual(textsOf(variances?.blocks ?? []), [
      "2.4.1 Ferries, overspend £0.240m",
      "Fuel costs rose in the summer.",
    ]);

    // The period page counts explanations beside the lines, as optional: nothing is missing for them.
    const sections = await periodSections(db, monitoringPeriod(YEAR, "quarter", 2));
    const lines = sections.find((section) => section.key === "budget-lines");
    assert.equal(lines?.done, 2);
    assert.equal(lines?.missing.length, 0);
    assert.match(
      lines?.note ?? "",
      /^1 of 2 forecasts entered have an explanation of the variance\. Explanations are optional/,
    );
  });

  test("a stale form is refused with both explanations shown, and nothing changes", async () => {
    const { db } = await fresh();
    const { ids } = await aYearWithTwoLines(db);
    const lineId = ids.Bridges ?? 0;
    await finance.createForecast(db, TEST_ACTOR, {
      lineId,
      quarter: 2,
      entry: { controllableBudget: 50_000_00, forecastOutturn: 40_000_00, explanation: "Fewer repairs." },
    });
    await finance.updateForecast(db, TEST_ACTOR, {
      lineId,
      quarter: 2,
      edit: {
        controllableBudget: 50_000_00,
        forecastOutturn: 40_000_00,
        explanation: "Repairs deferred.",
        version: 1,
      },
    });
    await assert.rejects(
      finance.updateForecast(db, TEST_ACTOR, {
        lineId,
        quarter: 2,
        edit: {
          controllableBudget: 50_000_00,
          forecastOutturn: 40_000_00,
          explanation: "Mild winter.",
          version: 1,
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof Conflict);
        assert.deepEqual(
          error.fields.find((field) => field.label === "Explanation of the variance"),
          { label: "Explanation of the variance", saved: "Repairs deferred.", submitted: "Mild winter." },
        );
        return true;
      },
    );
    const outturn = await finance.forecastOutturnReport(db, CODE, 2);
    assert.equal(outturn.lines?.find((line) => line.name === "Bridges")?.explanation, "Repairs deferred.");
    const report = await quarterlyReport(db, CODE, 2);
    const variances = report.sections.find((section) => section.id === "key-variances");
    assert.deepEqual(textsOf(variances?.blocks ?? []), [
      "2.4.1 Bridges, underspend £0.010m",
      "Repairs deferred.",
    ]);
  });

  test("the forms take the explanation, keep it on an error, and the line's page shows it", async () => {
    const { db } = await fresh();
    const { ids } = await aYearWithTwoLines(db);
    const lineId = ids.Ferries ?? 0;
    const app = await testApp(db);
    try {
      const newPath = `/budget/lines/${lineId}/forecasts/2/new`;
      const { token, cookie, page } = await formSession(app, newPath);
      assert.match(page.body, /<textarea[^>]*name="explanation"/);
      assert.match(page.body, /Explanation of the variance \(optional\)/);
      const post = (url: string, fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
        });

      // An amount that cannot be read: the field is named, the explanation typed is kept, nothing saved.
      const bad = await post(newPath, {
        controllableBudget: "£1,000,000",
        forecastOutturn: "lots",
        explanation: "Charter costs & fuel <rising>",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#forecastOutturn"/);
      assert.match(bad.body, /The full year forecast could not be read/);
      assert.match(bad.body, /Charter costs &amp; fuel &lt;rising&gt;<\/textarea>/);
      assert.equal((await finance.forecastOutturnReport(db, CODE, 2)).report, null);

      const saved = await post(newPath, {
        controllableBudget: "£1,000,000",
        forecastOutturn: "£1,100,000",
        explanation: "  Charter costs.\r\n\r\nFuel.  ",
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const line = await app.inject(`/budget/lines/${lineId}?quarter=2`);
      assert.match(line.body, /Explanations of the variance/);
      assert.match(line.body, /<p class="govuk-body">Charter costs\.<\/p><p class="govuk-body">Fuel\.<\/p>/);
      const quarterPage = await app.inject(`/budget/${CODE}/q2`);
      assert.match(quarterPage.body, /data-testid="line-explanation">Ferries, variance £100,000\.00/);

      // The edit form shows it, and a stale version is the conflict page.
      const editPath = `/budget/lines/${lineId}/forecasts/2/edit`;
      const edit = await app.inject({ url: editPath, headers: { cookie } });
      assert.match(edit.body, /Charter costs\.\n\nFuel\.<\/textarea>/);
      const changed = await post(editPath, {
        controllableBudget: "£1,000,000",
        forecastOutturn: "£1,100,000",
        explanation: "Charter costs only.",
        version: "1",
      });
      assert.equal(changed.statusCode, 303, changed.body);
      const stale = await post(editPath, {
        controllableBudget: "£1,000,000",
        forecastOutturn: "£1,100,000",
        explanation: "Something else.",
        version: "1",
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Explanation of the variance/);
      const after = await finance.forecastOutturnReport(db, CODE, 2);
      assert.equal(
        after.lines?.find((entry) => entry.name === "Ferries")?.explanation,
        "Charter costs only.",
      );
    } finally {
      await app.close();
    }
  });
});
