import assert from "node:assert/strict";
import { test } from "node:test";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import {
  buildCouncil,
  buildDebt,
  buildGrowth,
  buildMonitoringYear,
  buildOpenQuarter,
  buildReserves,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict } from "../../errors.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { periodSections } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

/** A made-up council monitoring 2031/32, with last year's reserves and debt bands on record. */
async function council(db: Database) {
  await buildCouncil(db, { plan: { fromYear: 2030, toYear: 2034 } });
  await buildReserves(db, {
    startYear: 2030,
    quarter: 4,
    reserves: [
      { name: "Flood defence reserve", balance: 120_000_000 },
      { name: "Library renewal reserve", balance: 4_500_000 },
    ],
  });
  await buildDebt(db, {
    startYear: 2030,
    quarter: 4,
    bands: [
      { band: "Up to 30 days", amount: 1_000_000 },
      { band: "Over 30 days", amount: 2_000_000 },
    ],
  });
  await buildMonitoringYear(db, 2031);
}

async function post(app: FastifyInstance, path: string, fields: Record<string, string>) {
  const { token, cookie } = await formSession(app, path);
  return app.inject({
    method: "POST",
    url: path,
    payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

describeOnBothDatabases("entering a period's reserve balances and debt", (fresh) => {
  test("a new year's reserves start from last year's names; balances are saved in pence, audited", async () => {
    const { db } = await fresh();
    await council(db);
    const form = await finance.reservesForEntry(db, "2031-32", 2);
    assert.deepEqual(
      form.rows.map((row) => [row.name, row.stored]),
      [
        ["Flood defence reserve", null],
        ["Library renewal reserve", null],
      ],
    );
    await finance.saveReserveBalances(db, TEST_ACTOR, {
      yearCode: "2031-32",
      quarter: 2,
      figures: [
        { key: "Flood defence reserve", name: "Flood defence reserve", pence: 110_000_001, version: 0 },
        { key: "", name: "Bus shelter reserve", pence: 25_000, version: 0 },
      ],
    });
    const report = await finance.reservesReport(db, "2031-32", 2);
    assert.deepEqual(
      report.reserves.map((reserve) => [reserve.name, reserve.balance.pence]),
      [
        ["Flood defence reserve", 110_000_001],
        ["Bus shelter reserve", 25_000],
      ],
    );
    assert.equal(report.total.balance.pence, 110_025_001);
    assert.equal((await finance.reservesReport(db, "2031-32", 1)).reserves.length, 0);
    const again = await finance.reservesForEntry(db, "2031-32", 2);
    const flood = again.rows.find((row) => row.name === "Flood defence reserve")?.stored;
    assert.ok(flood);
    const events = await listAuditEvents(db, "earmarked-reserve-balance", flood.id);
    assert.equal(events[0]?.actor, TEST_ACTOR);
    assert.equal(events[0]?.action, "create");
  });

  test("a stale version saves nothing and names the figure someone else saved", async () => {
    const { db } = await fresh();
    await council(db);
    const first = { key: "Flood defence reserve", name: "Flood defence reserve", pence: 100, version: 0 };
    await finance.saveReserveBalances(db, TEST_ACTOR, { yearCode: "2031-32", quarter: 3, figures: [first] });
    const opened = await finance.reservesForEntry(db, "2031-32", 3);
    const version = opened.rows[0]?.stored?.version ?? 0;
    await finance.saveReserveBalances(db, "someone-else", {
      yearCode: "2031-32",
      quarter: 3,
      figures: [{ ...first, pence: 200, version }],
    });
    await assert.rejects(
      finance.saveReserveBalances(db, TEST_ACTOR, {
        yearCode: "2031-32",
        quarter: 3,
        figures: [
          { ...first, pence: 300, version },
          { key: "", name: "New reserve", pence: 5, version: 0 },
        ],
      }),
      (error: unknown) =>
        error instanceof Conflict &&
        error.fields.length === 1 &&
        error.fields[0]?.saved === "£2.00" &&
        error.fields[0]?.submitted === "£3.00",
    );
    const report = await finance.reservesReport(db, "2031-32", 3);
    assert.deepEqual(
      report.reserves.map((reserve) => [reserve.name, reserve.balance.pence]),
      [["Flood defence reserve", 200]],
    );
    // A first entry made by two people at once: the second is a conflict, not an overwrite.
    await assert.rejects(
      finance.saveReserveBalances(db, TEST_ACTOR, { yearCode: "2031-32", quarter: 3, figures: [first] }),
      Conflict,
    );
  });

  test("debt bands carry forward from last year; bands and the write-off are saved and reported", async () => {
    const { db } = await fresh();
    await council(db);
    const form = await finance.debtForEntry(db, "2031-32", 1);
    assert.deepEqual(
      form.bands.map((band) => [band.name, band.stored]),
      [
        ["Up to 30 days", null],
        ["Over 30 days", null],
      ],
    );
    assert.deepEqual(form.writeOffPeriod, { from: "2031-04-01", to: "2031-06-30" });
    const [up, over] = form.bands;
    assert.ok(up && over);
    await finance.saveDebt(db, TEST_ACTOR, {
      yearCode: "2031-32",
      quarter: 1,
      bands: [
        { key: up.key, name: up.name, pence: 300_000, version: 0 },
        { key: over.key, name: over.name, pence: 100_001, version: 0 },
        { key: "", name: "Over 1 year", pence: 99, version: 0 },
      ],
      writeOff: { key: "write-off", name: "Written off", pence: 12_345, version: 0 },
    });
    const report = await finance.debtReport(db, "2031-32", 1);
    assert.deepEqual(
      report.bands.map((band) => [band.band, band.amount.pence]),
      [
        ["Up to 30 days", 300_000],
        ["Over 30 days", 100_001],
        ["Over 1 year", 99],
      ],
    );
    assert.equal(report.total.amount.pence, 400_100);
    assert.equal(report.writeOff?.amountPence, 12_345);
    assert.equal(report.writeOff?.periodTo, "2031-06-30");
    // The quarter after starts from this quarter's bands, the new one included.
    const next = await finance.debtForEntry(db, "2031-32", 2);
    assert.deepEqual(
      next.bands.map((band) => band.name),
      ["Up to 30 days", "Over 30 days", "Over 1 year"],
    );
    // Changing one figure with a stale write-off version changes nothing.
    const saved = await finance.debtForEntry(db, "2031-32", 1);
    await assert.rejects(
      finance.saveDebt(db, TEST_ACTOR, {
        yearCode: "2031-32",
        quarter: 1,
        bands: [{ key: up.key, name: up.name, pence: 1, version: saved.bands[0]?.stored?.version ?? 0 }],
        writeOff: { key: "write-off", name: "Written off", pence: 1, version: 7 },
      }),
      Conflict,
    );
    assert.equal((await finance.debtReport(db, "2031-32", 1)).total.amount.pence, 400_100);
  });

  test("the forms: refused when not open, 400 naming the field and value with nothing saved, then saved", async () => {
    const { db } = await fresh();
    await council(db);
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      const reserves = "/budget/2031-32/q2/reserves/edit";
      const closed = await app.inject(reserves);
      assert.equal(closed.statusCode, 409);
      assert.match(closed.body, /Quarter 2 2031\/32 has not been opened for entry/);
      await buildOpenQuarter(db, 2031, 2);
      const page = await app.inject(reserves);
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /<label class="govuk-label govuk-label--s" for="amount-0">\s*Flood defence reserve/,
      );
      const rows = {
        "key-0": "Flood defence reserve",
        "name-0": "Flood defence reserve",
        "version-0": "0",
        "key-1": "Library renewal reserve",
        "name-1": "Library renewal reserve",
        "version-1": "0",
      };
      const refused = await post(app, reserves, {
        ...rows,
        "amount-0": "£1,2x0",
        "amount-1": "£4,000",
        newName: "",
        newAmount: "£5",
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: /);
      assert.match(
        refused.body,
        /href="#amount-0">The balance of Flood defence reserve, &quot;£1,2x0&quot;, could not be read/,
      );
      assert.match(refused.body, /href="#newName">Enter the name of the reserve/);
      assert.match(refused.body, /value="£1,2x0"/);
      assert.equal((await finance.reservesReport(db, "2031-32", 2)).reserves.length, 0);
      // A row's name comes back with the form: one too long is refused like a typed one.
      const longName = await post(app, reserves, {
        ...rows,
        "name-1": "R".repeat(201),
        "amount-1": "£4,000",
      });
      assert.equal(longName.statusCode, 400);
      assert.match(
        longName.body,
        /href="#amount-1">The name &quot;R{40}…&quot; must be 200 characters or fewer/,
      );
      assert.equal((await finance.reservesReport(db, "2031-32", 2)).reserves.length, 0);
      const saved = await post(app, reserves, {
        ...rows,
        "amount-0": "£1.25m",
        "amount-1": "",
        newName: "Bus shelter reserve",
        newAmount: "2,500.50",
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/2031-32/q2/reserves");
      const report = await finance.reservesReport(db, "2031-32", 2);
      assert.deepEqual(
        report.reserves.map((reserve) => [reserve.name, reserve.balance.pence]),
        [
          ["Flood defence reserve", 125_000_000],
          ["Bus shelter reserve", 250_050],
        ],
      );
      // A balance entered cannot be emptied; a stale version is the conflict page.
      const emptied = await post(app, reserves, { ...rows, "version-0": "1", "amount-0": " " });
      assert.equal(emptied.statusCode, 400);
      assert.match(
        emptied.body,
        /Enter the balance of Flood defence reserve: a figure entered before cannot be left blank/,
      );
      const stale = await post(app, reserves, { ...rows, "version-0": "0", "amount-0": "£3" });
      assert.equal(stale.statusCode, 409);
      assert.equal((await finance.reservesReport(db, "2031-32", 2)).total.balance.pence, 125_250_050);

      const debt = "/budget/2031-32/q2/debt/edit";
      const debtPage = await app.inject(debt);
      assert.equal(debtPage.statusCode, 200);
      assert.match(debtPage.body, /1 April 2031 to 30 September 2031/);
      const bands = {
        "key-0": "band-1",
        "name-0": "Up to 30 days",
        "version-0": "0",
        "key-1": "band-2",
        "name-1": "Over 30 days",
        "version-1": "0",
        writeOffVersion: "0",
      };
      const badDebt = await post(app, debt, {
        ...bands,
        "amount-0": "£100",
        "amount-1": "£200",
        writeOff: "lots",
      });
      assert.equal(badDebt.statusCode, 400);
      assert.match(
        badDebt.body,
        /href="#writeOff">The debt written off in the year, &quot;lots&quot;, could not be read/,
      );
      assert.equal((await finance.debtReport(db, "2031-32", 2)).bands.length, 0);
      const savedDebt = await post(app, debt, {
        ...bands,
        "amount-0": "£100",
        "amount-1": "£200.01",
        writeOff: "£0.01m",
      });
      assert.equal(savedDebt.statusCode, 303);
      const debtReport = await finance.debtReport(db, "2031-32", 2);
      assert.equal(debtReport.total.amount.pence, 30_001);
      assert.equal(debtReport.writeOff?.amountPence, 1_000_000);

      // The period's report shows what was entered, on the page and in Excel.
      const html = await app.inject("/reports/quarterly/2031-32/q2");
      assert.equal(html.statusCode, 200);
      for (const expected of [
        "Flood defence reserve",
        "Bus shelter reserve",
        "Up to 30 days",
        "30 September 2031",
      ]) {
        assert.ok(html.body.includes(expected), expected);
      }
      const xlsx = await app.inject("/reports/quarterly/2031-32/q2.xlsx");
      assert.equal(xlsx.statusCode, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value))));
      assert.ok(cells.includes("Bus shelter reserve"));
      assert.ok(cells.includes(1_250_000), "the flood reserve in pounds");
      assert.ok(cells.includes(200.01), "the debt band in pounds");
    } finally {
      await app.close();
    }
  });

  test("growth spend: entered by item, counted on the period page, version-checked, in the report", async () => {
    const { db } = await fresh();
    await council(db);
    await buildGrowth(db, {
      startYear: 2031,
      items: [
        { title: "Home to school transport", ongoing: 50_000_000 },
        { title: "Street lighting", oneOff: 20_000_000 },
      ],
    });
    await buildOpenQuarter(db, 2031, 3);
    const sectionOf = async (key: string) =>
      (await periodSections(db, monitoringPeriod(2031, "quarter", 3))).find((part) => part.key === key);
    assert.deepEqual(
      (await sectionOf("growth"))?.missing.map((item) => [item.name, item.href]),
      [
        ["G1 Home to school transport", "/budget/2031-32/q3/growth/edit"],
        ["G2 Street lighting", "/budget/2031-32/q3/growth/edit"],
      ],
    );
    assert.deepEqual(
      (await sectionOf("debt"))?.missing.map((item) => item.name),
      ["Debt by age band", "Debt written off in the year"],
    );
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      const path = "/budget/2031-32/q3/growth/edit";
      const page = await app.inject(path);
      assert.equal(page.statusCode, 200);
      const form = await finance.growthForEntry(db, "2031-32", 3);
      const rows = Object.fromEntries(
        form.rows.flatMap((row, index) => [
          [`key-${index}`, row.key],
          [`name-${index}`, row.name],
          [`version-${index}`, "0"],
        ]),
      );
      const refused = await post(app, path, { ...rows, "amount-0": "12,34,5p", "amount-1": "" });
      assert.equal(refused.statusCode, 400);
      assert.match(
        refused.body,
        /href="#amount-0">The spend to date on G1 Home to school transport, &quot;12,34,5p&quot;, could not be read/,
      );
      assert.equal((await finance.growthSpendByItem(db, "2031-32", 3)).total, null);
      const saved = await post(app, path, { ...rows, "amount-0": "£312,500.25", "amount-1": "" });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/2031-32/growth");
      const spend = await finance.growthSpendByItem(db, "2031-32", 3);
      assert.equal(spend.total?.pence, 31_250_025);
      assert.deepEqual(
        (await sectionOf("growth"))?.missing.map((item) => item.name),
        ["G2 Street lighting"],
      );
      // The form opened before that save is stale: nothing is overwritten.
      const stale = await post(app, path, { ...rows, "amount-0": "£1", "amount-1": "£2" });
      assert.equal(stale.statusCode, 409);
      assert.equal((await finance.growthSpendByItem(db, "2031-32", 3)).total?.pence, 31_250_025);
      assert.equal((await finance.growthSpendByItem(db, "2031-32", 2)).total, null);

      const html = await app.inject("/reports/quarterly/2031-32/q3");
      assert.equal(html.statusCode, 200);
      assert.match(html.body, /Spent to the end of quarter 3 £m/);
      assert.match(html.body, /0\.313/);
      assert.match(html.body, /Not entered/);
      const xlsx = await app.inject("/reports/quarterly/2031-32/q3.xlsx");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.value))));
      assert.ok(cells.includes(312_500.25), "the spend in pounds");
      // Another quarter of the year shows no spend column.
      await buildOpenQuarter(db, 2031, 4);
      const q4 = await app.inject("/reports/quarterly/2031-32/q4");
      assert.doesNotMatch(q4.body, /Spent to the end of quarter/);
    } finally {
      await app.close();
    }
  });
});
