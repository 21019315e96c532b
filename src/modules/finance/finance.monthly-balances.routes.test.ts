import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildDebt,
  buildMonthlyCouncil,
  buildReserves,
  buildSavings,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { hiddenRowFields, postForm } from "../../../test/helpers/forms.ts";
import { zipEntryText } from "../../../test/helpers/zip.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { buildQuarterlyReport } from "../../reports/quarterly-report.ts";
import { renderStandaloneHtml } from "../../reports/render-html.ts";
import { closePeriod, findPeriod, periodSections } from "../periods/periods.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import * as finance from "./finance.service.ts";

// A made-up council monitored monthly whose year starts in October. Its year before (monitored
// quarterly) had two reserves, two debt bands and one savings initiative; the new year enters
// them month by month, and its quarter 1 report shows month 3's figures.
const YEAR = 2048;
const CODE = "2048-49";

/** A quarterly report's Word text, Excel cells and the page its PDF prints, as served. */
async function reportFormats(
  app: FastifyInstance,
  db: Database,
  path: string,
  year: string,
  quarter: number,
) {
  const work = await mkdtemp(join(tmpdir(), "baseplan-monthly-notes-"));
  try {
    const docx = join(work, "report.docx");
    await writeFile(docx, (await app.inject(`${path}.docx`)).rawPayload);
    const word = (await zipEntryText(docx, "word/document.xml")).replace(/<[^>]+>/g, "");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await app.inject(`${path}.xlsx`)).rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
    }
    // The PDF is Chromium's print of this standalone page.
    const printed = renderStandaloneHtml(await quarterlyReport(db, year, quarter));
    return { word, excel: cells.join("\n"), printed };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describeOnBothDatabases("savings, reserves and debt month by month", (fresh) => {
  test("entered for the open month, shown on its pages, and the quarter's report made from month 3", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, {
      startYear: YEAR,
      yearStartMonth: 10,
      linesBefore: [{ name: "Harbour", budget: 100_000_00, forecast: 100_000_00 }],
      yearBefore: async (db) => {
        await buildSavings(db, {
          startYear: YEAR - 1,
          quarter: 4,
          initiatives: [{ name: "Lighting", amount: 200_000_00, forecastAchieved: 150_000_00 }],
        });
        await buildReserves(db, {
          startYear: YEAR - 1,
          quarter: 4,
          reserves: [
            { name: "Insurance", balance: 1_000_000_00 },
            { name: "Transformation", balance: 500_000_00 },
          ],
        });
        await buildDebt(db, {
          startYear: YEAR - 1,
          quarter: 4,
          bands: [
            { band: "Up to 30 days", amount: 10_000_00 },
            { band: "Over 90 days", amount: 30_000_00 },
          ],
        });
      },
      carrySavings: true,
      openMonths: [1, 2, 3],
    });
    const app = await testApp(db);
    try {
      // Reserves, month 2 then month 3: last year's reserves are listed to start from.
      const reserves = async (month: number, amounts: [string, string]) => {
        const path = `/budget/${CODE}/m${month}/reserves/edit`;
        const form = await app.inject(path);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /Balances at the month end/);
        return postForm(app, path, path, {
          ...hiddenRowFields(form.body),
          "amount-0": amounts[0],
          "amount-1": amounts[1],
        });
      };
      let saved = await reserves(2, ["£1.1m", "£450,000"]);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/budget/${CODE}/m2/reserves`);
      assert.equal((await reserves(3, ["£1,200,000.50", "£400,000"])).statusCode, 303);

      // Bad input: the field and the text named, nothing saved.
      const path3 = `/budget/${CODE}/m3/reserves/edit`;
      const form3 = await app.inject(path3);
      const bad = await postForm(app, path3, path3, {
        ...hiddenRowFields(form3.body),
        "amount-0": "lots",
        "amount-1": "£1",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#amount-0"/);
      assert.match(bad.body, /balance of Insurance, &quot;lots&quot;, could not be read/);
      // A form opened before someone else saved: the conflict page, nothing overwritten.
      const stale = await postForm(app, path3, path3, {
        ...hiddenRowFields(form3.body),
        "version-0": "0",
        "amount-0": "£9m",
        "amount-1": "£400,000",
      });
      assert.equal(stale.statusCode, 409);
      const month3 = await finance.reservesReport(db, CODE, 1, 3);
      assert.deepEqual(
        month3.reserves.map((reserve) => [reserve.name, reserve.balance.pence, reserve.trend]),
        [
          ["Insurance", 1_200_000_50, "up"],
          ["Transformation", 400_000_00, "down"],
        ],
      );
      assert.equal(month3.total.balance.pence, 1_600_000_50);

      // Debt at month 3, with last year's bands, and the write-off for the year to December.
      const debtPath = `/budget/${CODE}/m3/debt/edit`;
      const debtForm = await app.inject(debtPath);
      assert.equal(debtForm.statusCode, 200);
      assert.match(debtForm.body, /Up to 30 days/);
      assert.match(debtForm.body, /1 October 2048 to 31 December 2048/);
      saved = await postForm(app, debtPath, debtPath, {
        ...hiddenRowFields(debtForm.body),
        "amount-0": "£12,000",
        "amount-1": "£33,000.01",
        writeOffVersion: "0",
        writeOff: "£2,500",
      });
      assert.equal(saved.statusCode, 303);
      const debt = await finance.debtReport(db, CODE, 1, 3);
      assert.equal(debt.total.amount.pence, 45_000_01);
      assert.equal(debt.writeOff?.amountPence, 2_500_00);

      // Savings achieved at month 3, on the initiative's month form linked from the month's page.
      const savingsPage = await app.inject(`/budget/${CODE}/m3/savings`);
      const savingsForm = /href="(\/budget\/savings\/initiatives\/\d+\/forecasts\/m3\/new)"/.exec(
        savingsPage.body,
      )?.[1];
      assert.ok(savingsForm, "the month's savings page links the month's form");
      saved = await postForm(app, savingsForm, savingsForm, { forecastAchieved: "£180,000" });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/budget/${CODE}/m3/savings`);

      // The month's pages show them.
      const reservesPage = await app.inject(`/budget/${CODE}/m3/reserves`);
      assert.match(reservesPage.body, /Earmarked reserves, month 3/);
      assert.match(reservesPage.body, /1\.200/);
      assert.match(reservesPage.body, /href="\/budget\/2048-49\/m3\/reserves\/edit"/);
      assert.match((await app.inject(`/budget/${CODE}/m2/reserves`)).body, /1\.100/);
      assert.match((await app.inject(`/budget/${CODE}/m3/debt`)).body, /0\.045/);
      assert.match((await app.inject(`/budget/${CODE}/m3/savings`)).body, /0\.180/);
      // The quarter's page shows month 3's, and says so.
      const quarterPage = await app.inject(`/budget/${CODE}/q1/reserves`);
      assert.match(quarterPage.body, /these are the balances at the end of month 3/);
      assert.match(quarterPage.body, /1\.200/);
      assert.doesNotMatch(quarterPage.body, /1\.100/);

      // Each figure audited with the month.
      const events = await db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityType, "earmarked-reserve-balance"));
      assert.ok(
        events.some((event) => /2048\/49 month 3 figure for the Insurance balance/.test(event.summary)),
      );
      assert.ok(events.some((event) => event.period === "2048-49-m3"));

      // A quarter's own form is not used in a year monitored monthly: to month 3, or refused.
      const quarterForm = await app.inject(`/budget/${CODE}/q1/reserves/edit`);
      assert.equal(quarterForm.statusCode, 303);
      assert.equal(quarterForm.headers.location, `/budget/${CODE}/m3/reserves/edit`);
      const quarterPost = await postForm(app, path3, `/budget/${CODE}/q1/debt/edit`, {});
      assert.equal(quarterPost.statusCode, 400);
      assert.match(quarterPost.body, /monitored month by month/);

      // A month not opened, and a month closed: refused, nothing saved.
      const notOpen = await app.inject(`/budget/${CODE}/m4/reserves/edit`);
      assert.equal(notOpen.statusCode, 409);
      assert.match(notOpen.body, /has not been opened for entry/);
      const state = await findPeriod(db, monitoringPeriod(YEAR, "month", 2));
      await closePeriod(db, TEST_ACTOR, {
        period: monitoringPeriod(YEAR, "month", 2),
        version: state?.version ?? 0,
        confirmMissing: true,
      });
      const closedPath = `/budget/${CODE}/m2/reserves/edit`;
      assert.equal((await app.inject(closedPath)).statusCode, 409);
      const sentToClosed = await postForm(app, path3, closedPath, {
        "key-0": "Insurance",
        "name-0": "Insurance",
        "version-0": "1",
        "amount-0": "£5m",
      });
      assert.equal(sentToClosed.statusCode, 409);
      assert.equal((await finance.reservesReport(db, CODE, 1, 2)).total.balance.pence, 1_550_000_00);

      // The period page counts month 3's balances and links its forms.
      assert.equal((await app.inject(`/periods/${CODE}/m3`)).statusCode, 200);
      const sections = await periodSections(db, monitoringPeriod(YEAR, "month", 3));
      for (const key of ["savings", "reserves", "debt"]) {
        const part = sections.find((section) => section.key === key);
        assert.equal(part?.done, part?.total, `${key} done at month 3`);
        assert.ok(
          part?.items.every((item) => item.href.startsWith(`/budget/${CODE}/m3/`)),
          key,
        );
      }

      // The quarter 1 report: month 3's figures, compared with nothing before (the year's first quarter).
      const report = await app.inject(`/reports/quarterly/${CODE}/q1`);
      assert.equal(report.statusCode, 200);
      for (const expected of ["Insurance", "1.200", "1.600", "Up to 30 days", "0.045", "Lighting", "0.180"]) {
        assert.ok(report.body.includes(expected), expected);
      }
      assert.doesNotMatch(report.body, /1\.100|1\.550/);

      // Its savings, reserves and debt tables say which month's figures they show, in every format.
      const asAt = "Month 3, the last month of quarter 1: the year is monitored monthly.";
      const monthNotes = [
        `Savings forecast as at ${asAt}`,
        `Balances as at the end of ${asAt}`,
        `Debt as at the end of ${asAt}`,
      ];
      for (const note of monthNotes) assert.ok(report.body.includes(note), `page: ${note}`);
      const formats = await reportFormats(app, db, `/reports/quarterly/${CODE}/q1`, CODE, 1);
      for (const note of monthNotes) {
        assert.ok(formats.word.includes(note), `Word: ${note}`);
        assert.ok(formats.excel.includes(note), `Excel: ${note}`);
        assert.ok(formats.printed.includes(note), `PDF: ${note}`);
      }
    } finally {
      await app.close();
    }
  });

  test("a quarterly council's balances stay the quarter's own", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
    await buildReserves(db, {
      startYear: YEAR,
      quarter: 1,
      reserves: [{ name: "Insurance", balance: 7_00 }],
    });
    await buildReserves(db, {
      startYear: YEAR,
      quarter: 2,
      reserves: [{ name: "Insurance", balance: 9_00 }],
    });
    const q2 = await finance.reservesReport(db, CODE, 2);
    assert.equal(q2.words, "quarter 2");
    assert.deepEqual(
      q2.reserves.map((reserve) => [reserve.balance.pence, reserve.trend]),
      [[9_00, "up"]],
    );
    assert.equal((await finance.reservesReport(db, CODE, 2, 6)).reserves.length, 0);

    // Its report's savings, reserves and debt tables carry no month note.
    await buildSavings(db, {
      startYear: YEAR,
      quarter: 2,
      initiatives: [{ name: "Lighting", amount: 10_00, forecastAchieved: 8_00 }],
    });
    await buildDebt(db, { startYear: YEAR, quarter: 2, bands: [{ band: "Up to 30 days", amount: 5_00 }] });
    const report = await buildQuarterlyReport(db, {
      year: CODE,
      quarter: 2,
      organisation: { councilName: "Anytown Borough Council", department: "Place" },
    });
    const tables = report.sections
      .flatMap((section) => section.blocks)
      .filter((block) => block.kind === "table")
      .filter((table) =>
        ["budget-savings-initiatives", "earmarked-reserves-table", "debt-profile"].includes(table.id),
      );
    assert.equal(tables.length, 3);
    for (const table of tables) {
      assert.ok(!(table.notes ?? []).some((note) => /monitored monthly/.test(note)), table.id);
    }
  });
});
