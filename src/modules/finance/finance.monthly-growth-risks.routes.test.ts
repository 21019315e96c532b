import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildGrowth,
  buildMonitoringYear,
  buildMonthlyCouncil,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { hiddenRowFields, postForm } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents, financialRisks, growthItemSpend } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { closePeriod, findPeriod, periodSections } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

// A made-up council monitored monthly whose year starts in July. Its growth items' spend to date
// and its financial risks are entered month by month, and its quarter 1 report shows month 3's
// (decision 0024). A quarterly council's stay the quarter's own.
const YEAR = 2051;
const CODE = "2051-52";

/** The spend entered on each growth item at a quarter (its own) or one month of it, in pence. */
async function spendOf(db: Database, quarter: number, month: number | null = null) {
  const spent = await finance.growthSpendByItem(db, CODE, quarter, month);
  return [...spent.byItem.values()].map((figure) => figure.pence);
}

describeOnBothDatabases("growth spend and financial risks month by month", (fresh) => {
  test("entered for the open month, refused otherwise, and the quarter's report made from month 3", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      yearStartMonth: 7,
      linesBefore: [{ name: "Ferries", budget: 300_000_00, forecast: 300_000_00 }],
      openMonths: [1, 2, 3],
    });
    await buildGrowth(db, {
      startYear: YEAR,
      items: [
        { title: "Quay repairs", ongoing: 400_000_00 },
        { title: "Timetable review", oneOff: 50_000_00 },
      ],
    });
    const app = await testApp(db);
    try {
      // The growth page offers the open months' forms, not the quarters'.
      const growthPage = await app.inject(`/budget/${CODE}/growth`);
      assert.match(
        growthPage.body,
        /href="\/budget\/2051-52\/m2\/growth\/edit">Enter the spend to the end of month 2/,
      );
      assert.doesNotMatch(growthPage.body, /\/q1\/growth\/edit/);

      // Spend to the end of month 2, then month 3.
      const spend = async (month: number, amounts: [string, string]) => {
        const path = `/budget/${CODE}/m${month}/growth/edit`;
        const form = await app.inject(path);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, new RegExp(`to the end of month ${month}, in pounds`));
        return postForm(app, path, path, {
          ...hiddenRowFields(form.body),
          "amount-0": amounts[0],
          "amount-1": amounts[1],
        });
      };
      const saved = await spend(2, ["£100,000", ""]);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/budget/${CODE}/growth`);
      assert.equal((await spend(3, ["£150,000.25", "£20,000"])).statusCode, 303);
      assert.deepEqual(await spendOf(db, 1, 2), [100_000_00]);
      assert.deepEqual(await spendOf(db, 1, 3), [150_000_25, 20_000_00]);
      assert.deepEqual(await spendOf(db, 1), [], "no quarter's own spend");

      // Bad input names the item and the text, nothing saved; a stale form gets the conflict page.
      const path3 = `/budget/${CODE}/m3/growth/edit`;
      const form3 = await app.inject(path3);
      const bad = await postForm(app, path3, path3, {
        ...hiddenRowFields(form3.body),
        "amount-0": "plenty",
        "amount-1": "£1",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#amount-0"/);
      assert.match(bad.body, /spend to date on G1 Quay repairs, &quot;plenty&quot;, could not be read/);
      const stale = await postForm(app, path3, path3, {
        ...hiddenRowFields(form3.body),
        "version-0": "0",
        "amount-0": "£9",
        "amount-1": "£20,000",
      });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(await spendOf(db, 1, 3), [150_000_25, 20_000_00]);
      const spendEvents = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityType, "growth-item-spend"));
      assert.ok(spendEvents.some((event) => event.period === "2051-52-m3"));
      assert.ok(
        spendEvents.some((event) =>
          /2051\/52 month 3 figure for the spend on G1 Quay repairs/.test(event.summary),
        ),
      );

      // A quarter's own form is not used: to month 3's, or refused with nothing saved.
      const quarterForm = await app.inject(`/budget/${CODE}/q1/growth/edit`);
      assert.equal(quarterForm.statusCode, 303);
      assert.equal(quarterForm.headers.location, `/budget/${CODE}/m3/growth/edit`);
      const quarterPost = await postForm(
        app,
        path3,
        `/budget/${CODE}/q1/growth/edit`,
        hiddenRowFields(form3.body),
      );
      assert.equal(quarterPost.statusCode, 400);
      assert.match(quarterPost.body, /monitored month by month/);
      assert.match(quarterPost.body, /Enter them for month 3/);
      assert.deepEqual(await spendOf(db, 1), []);

      // Financial risks: one for month 2, two for month 3, each on its month's list.
      const addRisk = (month: number, fields: Record<string, string>) => {
        const path = `/budget/${CODE}/m${month}/risks/new`;
        return postForm(app, path, path, fields);
      };
      const risk = { service: "Ferries", sensitivity: "£75,000", likelihood: "3" };
      const added = await addRisk(2, { ...risk, risk: "Fuel prices in August" });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, `/budget/${CODE}/m2/risks`);
      assert.equal(
        (await addRisk(3, { ...risk, risk: "Crew shortage", sensitivity: "£0.1m" })).statusCode,
        303,
      );
      assert.equal(
        (await addRisk(3, { ...risk, service: "Harbours", risk: "Storm damage" })).statusCode,
        303,
      );
      const refused = await addRisk(3, { ...risk, risk: "", sensitivity: "lots" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /href="#risk"/);
      assert.match(refused.body, /href="#sensitivity"/);
      const month3 = await finance.financialRisksReport(db, CODE, 1, 3);
      assert.deepEqual(
        month3.risks.map((each) => [each.service, each.risk, each.sensitivityPence, each.position]),
        [
          ["Ferries", "Crew shortage", 100_000_00, 1],
          ["Harbours", "Storm damage", 75_000_00, 2],
        ],
      );
      assert.equal((await finance.financialRisksReport(db, CODE, 1, 2)).risks.length, 1);
      assert.equal((await finance.financialRisksReport(db, CODE, 1)).risks.length, 0);

      // Change one at its month's address; a stale change gets the conflict page.
      const storm = month3.risks[1];
      assert.ok(storm);
      const editPath = `/budget/${CODE}/m3/risks/${storm.id}/edit`;
      const editForm = await app.inject(editPath);
      assert.equal(editForm.statusCode, 200);
      assert.match(editForm.body, /2051\/52 month 3/);
      const changed = await postForm(app, editPath, editPath, {
        ...risk,
        service: "Harbours",
        risk: "Storm damage to the quay",
        version: String(storm.version),
      });
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, `/budget/${CODE}/m3/risks`);
      const staleRisk = await postForm(app, editPath, editPath, {
        ...risk,
        service: "Harbours",
        risk: "Overwritten",
        version: String(storm.version),
      });
      assert.equal(staleRisk.statusCode, 409);
      // A risk is reached only at its own month's address.
      assert.equal((await app.inject(`/budget/${CODE}/m2/risks/${storm.id}/edit`)).statusCode, 404);
      const riskEvents = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityType, "financial-risk"));
      assert.ok(
        riskEvents.some((event) => event.period === "2051-52-m3" && /Changed a month 3/.test(event.summary)),
      );

      // The pages: month 3's list with its forms; the quarter's page shows month 3's and says so.
      const riskPage = await app.inject(`/budget/${CODE}/m3/risks`);
      assert.match(riskPage.body, /Financial risks, month 3/);
      assert.match(riskPage.body, /Storm damage to the quay/);
      assert.match(riskPage.body, new RegExp(`href="/budget/${CODE}/m3/risks/new"`));
      assert.doesNotMatch(riskPage.body, /Fuel prices in August/);
      const quarterRisks = await app.inject(`/budget/${CODE}/q1/risks`);
      assert.match(
        quarterRisks.body,
        /monitored month by month: these are the financial risks entered for month 3/,
      );
      assert.match(quarterRisks.body, /Crew shortage/);
      const quarterRiskForm = await app.inject(`/budget/${CODE}/q1/risks/new`);
      assert.equal(quarterRiskForm.statusCode, 303);
      assert.equal(quarterRiskForm.headers.location, `/budget/${CODE}/m3/risks/new`);
      const quarterRiskPost = await postForm(
        app,
        `/budget/${CODE}/m3/risks/new`,
        `/budget/${CODE}/q1/risks/new`,
        {
          ...risk,
          risk: "Sent to the quarter",
        },
      );
      assert.equal(quarterRiskPost.statusCode, 400);
      assert.match(quarterRiskPost.body, /monitored month by month/);
      assert.equal((await finance.financialRisksReport(db, CODE, 1)).risks.length, 0);

      // A month not opened, and a month closed: refused, nothing saved.
      assert.equal((await app.inject(`/budget/${CODE}/m4/growth/edit`)).statusCode, 409);
      assert.equal((await app.inject(`/budget/${CODE}/m4/risks/new`)).statusCode, 409);
      const state = await findPeriod(db, monitoringPeriod(YEAR, "month", 2));
      await closePeriod(db, TEST_ACTOR, {
        period: monitoringPeriod(YEAR, "month", 2),
        version: state?.version ?? 0,
        confirmMissing: true,
      });
      const closedGrowth = await postForm(app, path3, `/budget/${CODE}/m2/growth/edit`, {
        ...hiddenRowFields(form3.body),
        "version-0": "1",
        "amount-0": "£5m",
        "amount-1": "",
      });
      assert.equal(closedGrowth.statusCode, 409);
      assert.deepEqual(await spendOf(db, 1, 2), [100_000_00]);
      const closedRisk = await postForm(app, path3, `/budget/${CODE}/m2/risks/new`, {
        ...risk,
        risk: "Late",
      });
      assert.equal(closedRisk.statusCode, 409);
      assert.equal((await finance.financialRisksReport(db, CODE, 1, 2)).risks.length, 1);

      // The period page counts month 3's spend and risks and links month 3's forms.
      const sections = await periodSections(db, monitoringPeriod(YEAR, "month", 3));
      for (const key of ["growth", "financial-risks"]) {
        const part = sections.find((section) => section.key === key);
        assert.ok(part && part.total > 0, key);
        assert.equal(part?.done, part?.total, `${key} done at month 3`);
        assert.ok(
          part?.items.every((item) => item.href.startsWith(`/budget/${CODE}/m3/`)),
          key,
        );
      }

      // The quarter 1 report: month 3's spend and risks, saying so; month 2's nowhere.
      const report = await app.inject(`/reports/quarterly/${CODE}/q1`);
      assert.equal(report.statusCode, 200);
      for (const expected of [
        "Spent to the end of quarter 1",
        "0.150",
        "0.020",
        "Crew shortage",
        "Storm damage to the quay",
        "Spend to the end of Month 3, the last month of quarter 1: the year is monitored monthly.",
        "Financial risks as at Month 3, the last month of quarter 1: the year is monitored monthly.",
      ]) {
        assert.ok(report.body.includes(expected), expected);
      }
      assert.doesNotMatch(report.body, /Fuel prices in August/);
    } finally {
      await app.close();
    }
  });

  test("a quarterly council's growth spend and risks stay the quarter's own", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { yearStartMonth: 1, plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
    await buildMonitoringYear(db, YEAR);
    await buildGrowth(db, { startYear: YEAR, items: [{ title: "Quay repairs", ongoing: 400_000_00 }] });
    await buildOpenQuarter(db, YEAR, 2);
    const app = await testApp(db);
    try {
      const growthPage = await app.inject(`/budget/${CODE}/growth`);
      assert.match(
        growthPage.body,
        /href="\/budget\/2051-52\/q2\/growth\/edit">Enter the spend to the end of quarter 2/,
      );
      const path = `/budget/${CODE}/q2/growth/edit`;
      const form = await app.inject(path);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /to the end of quarter 2, in pounds/);
      const saved = await postForm(app, path, path, { ...hiddenRowFields(form.body), "amount-0": "£7,000" });
      assert.equal(saved.statusCode, 303);
      const riskPath = `/budget/${CODE}/q2/risks/new`;
      const added = await postForm(app, riskPath, riskPath, {
        service: "Ferries",
        risk: "Fuel prices",
        sensitivity: "£1,000",
        likelihood: "2",
      });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, `/budget/${CODE}/q2/risks`);
      // Kept as the quarter's own rows: no month.
      assert.deepEqual(
        (await db.select().from(growthItemSpend)).map((row) => [row.quarter, row.month, row.spentPence]),
        [[2, null, 7_000_00]],
      );
      assert.deepEqual(
        (await db.select().from(financialRisks)).map((row) => [row.quarter, row.month]),
        [[2, null]],
      );
      assert.deepEqual(await spendOf(db, 2), [7_000_00]);
      assert.deepEqual(await spendOf(db, 2, 6), []);
      assert.equal((await finance.financialRisksReport(db, CODE, 2, 6)).risks.length, 0);
      // A month's address is refused: a year monitored quarterly opens no months.
      assert.equal((await app.inject(`/budget/${CODE}/m5/risks/new`)).statusCode, 409);
      const riskPage = await app.inject(`/budget/${CODE}/q2/risks`);
      assert.match(riskPage.body, /Financial risks, quarter 2/);
      assert.doesNotMatch(riskPage.body, /monitored month by month/);
      const report = await app.inject(`/reports/quarterly/${CODE}/q2`);
      assert.equal(report.statusCode, 200);
      assert.ok(report.body.includes("Fuel prices"));
      assert.doesNotMatch(report.body, /monitored monthly/);
    } finally {
      await app.close();
    }
  });
});
