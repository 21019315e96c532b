import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { buildQuarterlyReport } from "../../reports/quarterly-report.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { budgetStructure } from "./finance.structure.ts";

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Posts a form as a browser would, with the token of a page holding a form (`from`). */
async function post(app: FastifyInstance, path: string, fields: Record<string, string>, from = path) {
  const { token, cookie } = await formSession(app, from);
  return app.inject({
    method: "POST",
    url: path,
    payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
  });
}

const YEAR = "2030-31";
const PAGE = `/budget/${YEAR}/structure`;

/**
 * A made-up council set up without the demo sets up its budget through the pages only: it opens a
 * year, adds its budget lines and a division, enters a forecast, and sees them on the quarter's
 * page and in the quarter's report.
 */
describe("setting up the budget through the pages, on a council without the demo", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db, {
      councilName: "Borough of Anytown Council",
      departmentName: "Community Wellbeing",
      departmentShortName: "CW",
    });
    app = await testApp(database.db, { BASEPLAN_LOAD_DEMO: "false" });
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  const lineId = async (name: string) => {
    const model = await budgetStructure(database.db, YEAR);
    const line = [...model.lines, ...model.archivedLines].find((candidate) => candidate.name === name);
    assert.ok(line, `the line "${name}" is listed`);
    return line;
  };

  test("before a year is open, /budget says to open one; a year not open has no set-up page", async () => {
    const budget = await app.inject("/budget");
    assert.match(
      text(budget.body),
      /Open a financial year in Monitoring periods ?, then set up its budget here/,
    );
    // A year not open: a page saying how to open it, not a plain page not found.
    const notOpen = await app.inject(PAGE);
    assert.equal(notOpen.statusCode, 404);
    assert.match(text(notOpen.body), /The financial year 2030\/31 is not open/);
    assert.match(notOpen.body, /href="\/periods"[^>]*>Monitoring periods</);
    for (const page of [`${PAGE}/initiative/new`, `${PAGE}/savings-target`]) {
      const refusedPage = await app.inject(page);
      assert.equal(refusedPage.statusCode, 404);
      assert.match(text(refusedPage.body), /The financial year 2030\/31 is not open/);
    }
    const refused = await post(app, `${PAGE}/line/new`, { name: "Leisure centres" }, "/periods");
    assert.equal(refused.statusCode, 400);
    assert.match(
      text(refused.body),
      /The financial year 2030\/31 is not open: open it in Monitoring periods first/,
    );
  });

  test("a year is opened, its budget lines added, renamed, moved, archived and restored through the pages", async () => {
    const opened = await post(app, "/periods/years", { year: "2030/31" }, "/periods");
    assert.equal(opened.statusCode, 303);
    const quarter = await post(app, `/periods/${YEAR}/q1/open`, {}, "/periods");
    assert.equal(quarter.statusCode, 303);

    // The dashboard's step and /budget lead to the year's set-up page.
    const home = await app.inject("/");
    assert.match(home.body, new RegExp(`href="${PAGE}"[^>]*>\\s*4\\. Set up the budget`));
    assert.match(
      (await app.inject("/budget")).body,
      new RegExp(`href="${PAGE}">Set up the budget for 2030/31<`),
    );

    const empty = await app.inject(PAGE);
    assert.equal(empty.statusCode, 200);
    assert.match(text(empty.body), /There are no budget lines for 2030\/31 yet/);
    assert.match(text(empty.body), /lines of the Community Wellbeing budget monitoring report/);

    for (const name of ["Leisure centres", "Libraries", "Community safety", "Housing advice"]) {
      const added = await post(app, `${PAGE}/line/new`, { name }, `${PAGE}/line/new`);
      assert.equal(added.statusCode, 303, added.body);
      assert.match(String(added.headers.location), new RegExp(`^${PAGE}#line-\\d+$`));
    }
    const list = await app.inject(PAGE);
    assert.match(
      text(list.body),
      /Leisure centres · Forecasts for Leisure centres .* Libraries · .* Community safety · .* Housing advice/,
    );

    // Bad input: a blank name, a name already used, a stale form; nothing changes.
    const blank = await post(app, `${PAGE}/line/new`, { name: "   " }, `${PAGE}/line/new`);
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /href="#name">Enter the name</);
    const duplicate = await post(app, `${PAGE}/line/new`, { name: "libraries" }, `${PAGE}/line/new`);
    assert.equal(duplicate.statusCode, 400);
    assert.match(text(duplicate.body), /There is already a budget line named "Libraries" in this year/);
    assert.match(duplicate.body, /value="libraries"/);

    const libraries = await lineId("Libraries");
    const renamed = await post(
      app,
      `${PAGE}/line/${libraries.id}`,
      { name: "Libraries and archives", version: String(libraries.version) },
      `${PAGE}/line/${libraries.id}`,
    );
    assert.equal(renamed.statusCode, 303);
    const stale = await post(
      app,
      `${PAGE}/line/${libraries.id}`,
      { name: "Library service", version: String(libraries.version) },
      `${PAGE}/line/${libraries.id}`,
    );
    assert.equal(stale.statusCode, 409);
    assert.match(text(stale.body), /Libraries and archives/);

    const housing = await lineId("Housing advice");
    const moved = await post(
      app,
      `${PAGE}/line/${housing.id}/move`,
      { direction: "up", version: String(housing.version) },
      PAGE,
    );
    assert.equal(moved.statusCode, 303);
    const first = await lineId("Leisure centres");
    const notFirst = await post(
      app,
      `${PAGE}/line/${first.id}/move`,
      { direction: "up", version: String(first.version) },
      PAGE,
    );
    assert.equal(notFirst.statusCode, 400);
    assert.match(text(notFirst.body), /The budget line "Leisure centres" is already first/);

    const safety = await lineId("Community safety");
    const confirm = await app.inject(`${PAGE}/line/${safety.id}/archive`);
    assert.equal(confirm.statusCode, 200);
    assert.match(text(confirm.body), /Are you sure you want to archive the budget line "Community safety"\?/);
    const archived = await post(
      app,
      `${PAGE}/line/${safety.id}/archive`,
      { version: String(safety.version) },
      `${PAGE}/line/${safety.id}/archive`,
    );
    assert.equal(archived.statusCode, 303);
    const afterArchive = await app.inject(PAGE);
    assert.match(text(afterArchive.body), /Budget line: Community safety .* by /);
    const archivedLine = await lineId("Community safety");
    const restored = await post(
      app,
      `${PAGE}/line/${safety.id}/restore`,
      { version: String(archivedLine.version) },
      PAGE,
    );
    assert.equal(restored.statusCode, 303);
    const again = await lineId("Community safety");
    await post(app, `${PAGE}/line/${safety.id}/archive`, { version: String(again.version) }, PAGE);

    assert.deepEqual(
      (await budgetStructure(database.db, YEAR)).lines.map((line) => [line.position, line.name]),
      [
        [1, "Leisure centres"],
        [2, "Libraries and archives"],
        [3, "Housing advice"],
      ],
    );
    const events = await listAuditEvents(database.db, "budget-line", safety.id);
    assert.deepEqual(events.map((event) => event.action).reverse(), [
      "create",
      "archive",
      "restore",
      "archive",
    ]);
  });

  test("a forecast entered for the new lines shows on the quarter's page and in its report", async () => {
    for (const [name, budget, forecast] of [
      ["Leisure centres", "£1,200,000", "£1,260,000.50"],
      ["Housing advice", "450000", "440000"],
      ["Libraries and archives", "£800,000", "£800,000"],
    ] as const) {
      const line = await lineId(name);
      const form = `/budget/lines/${line.id}/forecasts/1/new`;
      const entered = await post(app, form, { controllableBudget: budget, forecastOutturn: forecast }, form);
      assert.equal(entered.statusCode, 303, entered.body);
    }
    const q1 = await app.inject(`/budget/${YEAR}/q1`);
    assert.equal(q1.statusCode, 200);
    const shown = text(q1.body);
    assert.match(shown, /Leisure centres 1\.200 1\.260 0\.060 5\.0% Red Libraries and archives/);
    assert.match(shown, /Housing advice 0\.450 0\.440 -0\.010 -2\.2% Green Total 2\.450 2\.500/);
    assert.doesNotMatch(shown, /Community safety/);
    // An archived line takes no forecast.
    const safety = await lineId("Community safety");
    const refused = await app.inject(`/budget/lines/${safety.id}/forecasts/1/new`);
    assert.equal(refused.statusCode, 400);
    assert.match(text(refused.body), /The budget line "Community safety" is archived/);

    const report = JSON.stringify(
      await buildQuarterlyReport(database.db, {
        year: YEAR,
        quarter: 1,
        organisation: { councilName: "Borough of Anytown Council", department: "Community Wellbeing" },
      }),
    );
    for (const name of ["Leisure centres", "Housing advice", "Libraries and archives"]) {
      assert.ok(report.includes(name), `the report shows ${name}`);
    }
    assert.ok(report.includes("Community Wellbeing Budget Items"));
    assert.ok(!report.includes("Community safety"));
  });

  test("the approved budget's divisions are added and their amounts entered through the pages", async () => {
    const added = await post(
      app,
      `${PAGE}/division/new`,
      { name: "Leisure and culture" },
      `${PAGE}/division/new`,
    );
    assert.equal(added.statusCode, 303);
    const division = (await budgetStructure(database.db, YEAR)).divisions[0];
    assert.ok(division);
    const form = `${PAGE}/division/${division.id}/amounts`;
    const page = await app.inject(form);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label class="govuk-label govuk-label--s" for="amount-employees">\s*Employees/);

    const bad = await post(
      app,
      form,
      { "amount-employees": "lots", "amount-income": "-50,000", version: String(division.version) },
      form,
    );
    assert.equal(bad.statusCode, 400);
    assert.match(text(bad.body), /The amount for Employees could not be read/);
    assert.match(bad.body, /value="-50,000"/);

    const saved = await post(
      app,
      form,
      {
        "amount-employees": "£1,234,567.89",
        "amount-premises": "100000",
        "amount-income": "-50,000",
        version: String(division.version),
      },
      form,
    );
    assert.equal(saved.statusCode, 303);
    const approved = text((await app.inject(`/budget/${YEAR}/approved`)).body);
    assert.match(approved, /Leisure and culture 1,234,568 100,000 0 0 0 0 0 0 1,334,568 -50,000 0 1,284,568/);
    const stale = await post(app, form, { "amount-employees": "1", version: String(division.version) }, form);
    assert.equal(stale.statusCode, 409);

    // Earmarked reserves, through the same pages.
    const reserve = await post(
      app,
      `${PAGE}/reserve/new`,
      { name: "Leisure renewals reserve" },
      `${PAGE}/reserve/new`,
    );
    assert.equal(reserve.statusCode, 303);
    assert.match(text((await app.inject(PAGE)).body), /Earmarked reserves .* Leisure renewals reserve Edit/);
    assert.match(
      text((await app.inject(`/budget/${YEAR}/q1/reserves/edit`)).body),
      /Leisure renewals reserve/,
    );
  });

  test("a savings target and two initiatives set up through the pages are missing, then entered and reported", async () => {
    const before = text((await app.inject(PAGE)).body);
    assert.match(before, /There is no savings target for 2030\/31 yet/);

    const targetForm = `${PAGE}/savings-target`;
    const bad = await post(app, targetForm, { currentYear: "lots", broughtForward: "" }, targetForm);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#currentYear"/);
    assert.match(text(bad.body), /The current year reductions could not be read/);
    assert.match(bad.body, /value="lots"/);
    const set = await post(
      app,
      targetForm,
      { currentYear: "£500,000", broughtForward: "25,000" },
      targetForm,
    );
    assert.equal(set.statusCode, 303, set.body);

    for (const [name, amount] of [
      ["Library opening hours", "£200,000"],
      ["Shared back office", "150000"],
    ] as const) {
      const added = await post(app, `${PAGE}/initiative/new`, { name, amount }, `${PAGE}/initiative/new`);
      assert.equal(added.statusCode, 303, added.body);
      assert.match(String(added.headers.location), new RegExp(`^${PAGE}#initiative-\\d+$`));
    }
    const duplicate = await post(
      app,
      `${PAGE}/initiative/new`,
      { name: "library OPENING hours", amount: "1" },
      `${PAGE}/initiative/new`,
    );
    assert.equal(duplicate.statusCode, 400);
    assert.match(text(duplicate.body), /There is already a savings initiative named "Library opening hours"/);
    const noAmount = await post(
      app,
      `${PAGE}/initiative/new`,
      { name: "Parks", amount: " " },
      `${PAGE}/initiative/new`,
    );
    assert.equal(noAmount.statusCode, 400);
    assert.match(noAmount.body, /href="#amount"/);

    const page = text((await app.inject(PAGE)).body);
    assert.match(page, /Budget savings target £525,000\.00 \(Baseplan's sum\)/);
    assert.match(
      page,
      /Identified by the initiatives £350,000\.00 \(Baseplan's sum\): £175,000\.00 of the target/,
    );
    assert.match(page, /Library opening hours : £200,000\.00 Edit .* Shared back office : £150,000\.00 Edit/);

    // Missing on the period page and listed for entry on the savings page.
    const period = text((await app.inject(`/periods/${YEAR}/q1`)).body);
    assert.match(period, /Savings achieved: 0 of 2/);
    const entry = await app.inject(`/budget/${YEAR}/q1/savings`);
    assert.equal(entry.statusCode, 200);
    const links = [
      ...entry.body.matchAll(/href="(\/budget\/savings\/initiatives\/\d+\/forecasts\/[^"]+\/new)">([^<]+)</g),
    ];
    assert.deepEqual(
      links.map((link) => link[2]),
      ["Library opening hours", "Shared back office"],
    );
    for (const [index, link] of links.entries()) {
      const form = String(link[1]);
      const entered = await post(app, form, { forecastAchieved: index === 0 ? "£180,000" : "150,000" }, form);
      assert.equal(entered.statusCode, 303, entered.body);
    }
    assert.match(text((await app.inject(`/periods/${YEAR}/q1`)).body), /Savings achieved: 2 of 2/);

    const report = JSON.stringify(
      await buildQuarterlyReport(database.db, {
        year: YEAR,
        quarter: 1,
        organisation: { councilName: "Borough of Anytown Council", department: "Community Wellbeing" },
      }),
    );
    for (const name of ["Library opening hours", "Shared back office"]) {
      assert.ok(report.includes(name), `the report shows ${name}`);
    }

    // Archived through the page: out of the period's counts and the report, its forecast kept.
    const shared = (await budgetStructure(database.db, YEAR)).initiatives.find(
      (row) => row.name === "Shared back office",
    );
    assert.ok(shared);
    const confirm = await app.inject(`${PAGE}/initiative/${shared.id}/archive`);
    assert.match(
      text(confirm.body),
      /Are you sure you want to archive the savings initiative "Shared back office"\?/,
    );
    const archived = await post(
      app,
      `${PAGE}/initiative/${shared.id}/archive`,
      { version: String(shared.version) },
      `${PAGE}/initiative/${shared.id}/archive`,
    );
    assert.equal(archived.statusCode, 303);
    assert.match(text((await app.inject(`/periods/${YEAR}/q1`)).body), /Savings achieved: 1 of 1/);
    assert.match(
      text((await app.inject(PAGE)).body),
      /Savings initiative: Shared back office \(£150,000\.00\) 1 forecast kept/,
    );
    const after = JSON.stringify(
      await buildQuarterlyReport(database.db, {
        year: YEAR,
        quarter: 1,
        organisation: { councilName: "Borough of Anytown Council", department: "Community Wellbeing" },
      }),
    );
    assert.ok(!after.includes("Shared back office"));
    assert.ok(after.includes("Library opening hours"));
  });

  test("a growth item is added and changed through the pages and listed for its spend", async () => {
    const form = `${PAGE}/growth/new`;
    const page = await app.inject(form);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<textarea[^>]*name="narrative"/);
    const bad = await post(app, form, { name: "Youth clubs", ref: "G1", ongoing: "lots" }, form);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#ongoing"/);
    assert.match(text(bad.body), /The ongoing amount could not be read/);
    const added = await post(
      app,
      form,
      { name: "Youth clubs", ref: "G1", ongoing: "£120,000", oneOff: "", narrative: "Two new clubs." },
      form,
    );
    assert.equal(added.statusCode, 303, added.body);
    assert.match(text((await app.inject(PAGE)).body), /G1 Youth clubs : ongoing £120,000\.00, one-off none/);
    const item = (await budgetStructure(database.db, YEAR)).growth[0];
    assert.ok(item);
    const edit = await app.inject(`${PAGE}/growth/${item.id}`);
    assert.match(edit.body, /value="£120,000\.00"/);
    const saved = await post(
      app,
      `${PAGE}/growth/${item.id}`,
      {
        name: "Youth clubs",
        ref: "G1",
        ongoing: "£120,000",
        oneOff: "£30,000",
        version: String(item.version),
      },
      `${PAGE}/growth/${item.id}`,
    );
    assert.equal(saved.statusCode, 303, saved.body);
    assert.match(text((await app.inject(`/periods/${YEAR}/q1`)).body), /Growth item spend: 0 of 1/);
    assert.match(text((await app.inject(`/budget/${YEAR}/q1/growth/edit`)).body), /G1 Youth clubs/);
  });
});
