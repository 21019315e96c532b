import assert from "node:assert/strict";
import { test } from "node:test";
import { and, eq } from "drizzle-orm";
import JSZip from "jszip";
import {
  buildForecastEntry,
  buildMeasureValue,
  buildMonthlyCouncil,
  buildOpenQuarter,
  buildRecordedQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import type { Database } from "../../db/client.ts";
import { measures, publishedDocuments } from "../../db/schema/index.ts";
import { financialYearCode, type MonitoringPeriod, monitoringPeriod } from "../../domain/periods.ts";
import type { SharedChromium } from "../../reports/chromium.ts";
import type { Report } from "../../reports/model.ts";
import { setTarget } from "../measures/measures.edit.ts";
import { buildPeriodReport, reportBytes } from "../periods/periods.report.ts";
import { findPeriod, publishPeriod } from "../periods/periods.service.ts";
import { quarterlyReport, quarterlyReportFile, renderReport } from "./reports.service.ts";

// Word and Excel need no browser; only a PDF would ask for one.
const NO_BROWSER = undefined as unknown as SharedChromium;

async function publish(db: Database, period: MonitoringPeriod) {
  const state = await findPeriod(db, period);
  assert.ok(state, "the period is opened");
  await publishPeriod(db, TEST_ACTOR, { period, version: state.version, confirmMissing: true });
}

/** The report model a period stored, as bytes, or undefined when it stored none. */
async function storedModel(db: Database, period: MonitoringPeriod): Promise<Buffer | undefined> {
  const state = await findPeriod(db, period);
  assert.ok(state);
  const [row] = await db
    .select()
    .from(publishedDocuments)
    .where(and(eq(publishedDocuments.periodId, state.id), eq(publishedDocuments.format, "model")));
  return row ? Buffer.from(row.content) : undefined;
}

async function zipText(file: Buffer, entry: string): Promise<string> {
  const found = (await JSZip.loadAsync(file)).file(entry);
  assert.ok(found, `the file has ${entry}`);
  return found.async("string");
}

/** Every worksheet's XML and the shared strings: the cells' values, without the file's dates. */
async function workbookCells(file: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(file);
  const names = Object.keys(zip.files)
    .filter((name) => /^xl\/(worksheets\/sheet\d+\.xml|sharedStrings\.xml)$/.test(name))
    .sort();
  assert.ok(names.length > 0, "the workbook has sheets");
  return Promise.all(names.map(async (name) => `${name}\n${await zip.file(name)?.async("string")}`));
}

/** The text runs of a Word document's XML, in order. */
function wordText(xml: string): string[] {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1] ?? "");
}

const json = (report: Report) => JSON.stringify(report);

async function measureId(db: Database, title: string): Promise<number> {
  const [row] = await db.select({ id: measures.id }).from(measures).where(eq(measures.title, title));
  assert.ok(row, `the measure "${title}" was built`);
  return row.id;
}

describeOnBothDatabases("a published period's report is frozen when it is published", (fresh) => {
  test("a target set after publishing changes the live and next report, not the published one", async () => {
    const { db } = await fresh();
    const startYear = 2041;
    const code = financialYearCode(startYear);
    const recorded = await buildRecordedQuarter(db, { startYear, quarter: 2 });
    await buildOpenQuarter(db, startYear, 3);
    const q2 = recorded.period;
    const q3 = monitoringPeriod(startYear, "quarter", 3);

    await publish(db, q2);
    // Stored in the publishing transaction, before anyone has read the report.
    const frozen = await storedModel(db, q2);
    assert.ok(frozen, "publishing stored the report model");
    const atPublishing = frozen.toString("utf8");
    assert.match(atPublishing, /87\.5%/);
    assert.match(atPublishing, /"4\.765"/);

    // After publishing: a new target for the year, a value and a forecast for the next quarter.
    const measure = await measureId(db, recorded.measure);
    await setTarget(db, TEST_ACTOR, {
      measureId: measure,
      form: {
        period: `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`,
        target: "99% or above",
      },
      replacing: null,
    });
    await buildMeasureValue(db, { measureId: measure, period: q3, text: "64.5%" });
    await buildForecastEntry(db, {
      startYear,
      quarter: 3,
      line: recorded.line,
      budget: 420_000_000,
      forecast: 433_300_000,
    });

    // The live figures have moved on: built now, quarter 2 would show the new target.
    const live = json(await buildPeriodReport(db, q2));
    assert.match(live, /99% or above/);
    assert.notEqual(live, atPublishing);

    // The published report is the one stored at publishing, every time it is read.
    const published = await quarterlyReport(db, code, 2);
    assert.equal(json(published), atPublishing);
    assert.doesNotMatch(json(published), /99% or above/);

    // Its Word file says what the frozen model says, and downloads again byte for byte.
    const word = await quarterlyReportFile(db, code, 2, "docx", NO_BROWSER);
    const document = await zipText(word, "word/document.xml");
    assert.match(document, /87\.5%/);
    assert.doesNotMatch(document, /99% or above/);
    assert.deepEqual(await quarterlyReportFile(db, code, 2, "docx", NO_BROWSER), word);
    const excel = await quarterlyReportFile(db, code, 2, "xlsx", NO_BROWSER);
    assert.deepEqual(await quarterlyReportFile(db, code, 2, "xlsx", NO_BROWSER), excel);

    // The next, unpublished, report is live: the new value, target and forecast.
    assert.equal(await storedModel(db, q3), undefined);
    const next = json(await quarterlyReport(db, code, 3));
    assert.match(next, /64\.5%/);
    assert.match(next, /99% or above/);
    assert.match(next, /"4\.333"/);
  });

  test("in a year monitored monthly, publishing the month that ends a quarter freezes its report", async () => {
    const { db } = await fresh();
    const startYear = 2047;
    const { code } = await buildMonthlyCouncil(db, { startYear, openMonths: [1, 2, 3] });
    const month2 = monitoringPeriod(startYear, "month", 2);
    const month3 = monitoringPeriod(startYear, "month", 3);

    // A month inside a quarter has no report of its own to freeze.
    await publish(db, month2);
    assert.equal(await storedModel(db, month2), undefined);

    await publish(db, month3);
    const frozen = await storedModel(db, month3);
    assert.ok(frozen, "publishing month 3 stored quarter 1's report model");
    const before = await quarterlyReport(db, code, 1);
    assert.equal(json(before), frozen.toString("utf8"));
    assert.equal(before.title, JSON.parse(frozen.toString("utf8")).title);
  });

  test("an unpublished report built twice from unchanged data is the same, in its model and files", async () => {
    const { db } = await fresh();
    const startYear = 2052;
    const code = financialYearCode(startYear);
    await buildRecordedQuarter(db, { startYear, quarter: 4 });

    const first = await quarterlyReport(db, code, 4);
    const second = await quarterlyReport(db, code, 4);
    assert.deepEqual(reportBytes(second), reportBytes(first));
    assert.equal(await storedModel(db, monitoringPeriod(startYear, "quarter", 4)), undefined);

    // Word: every run of text in word/document.xml, in order (the file's dates, and the ids the
    // Word library numbers bookmarks and pictures with across a process, may differ).
    const [wordA, wordB] = [
      await renderReport(first, "docx", NO_BROWSER),
      await renderReport(second, "docx", NO_BROWSER),
    ];
    const textA = wordText(await zipText(wordA, "word/document.xml"));
    assert.ok(textA.includes("87.5%") && textA.includes("4.765"), "the Word file has the figures");
    assert.deepEqual(wordText(await zipText(wordB, "word/document.xml")), textA);
    // Excel: every sheet's cells and the shared strings their text is kept in.
    const [excelA, excelB] = [
      await renderReport(first, "xlsx", NO_BROWSER),
      await renderReport(second, "xlsx", NO_BROWSER),
    ];
    assert.deepEqual(await workbookCells(excelB), await workbookCells(excelA));
  });
});
