import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../test/helpers/app.ts";
import { buildSetUpCouncil } from "../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../test/helpers/database.ts";
import { readTable, tableCsvCells, wrapTables } from "./tables.ts";

const PAGE = `<main><table class="govuk-table"><caption class="govuk-table__caption">Made-up spend, "north"</caption>
<tr><th>Team</th><th>Spend</th></tr><tr><td>North <span class="govuk-visually-hidden">(does not add up)</span></td><td>1,234,567</td></tr>
<tr><td colspan="2">Note, with a comma</td></tr></table>
<div class="bp-table-scroll" tabindex="0" role="region" aria-label="Kept">
<table><tr><td>-0.5</td><td>26.6%</td></tr></table>
</div></main>`;

describe("tables on pages", () => {
  test("each table is boxed to scroll on its own and followed by its download links, once", () => {
    const wrapped = wrapTables(PAGE, "/spend?team=north");
    assert.equal(
      (wrapped.match(/class="bp-table-scroll"/g) ?? []).length,
      2,
      "the boxed table is not boxed twice",
    );
    assert.match(
      wrapped,
      /aria-label="Made-up spend, &quot;north&quot;, table"|aria-label="Made-up spend, "north", table"/,
    );
    assert.match(wrapped, /href="\/spend\?team=north&amp;download=csv&amp;table=1"/);
    assert.match(wrapped, /href="\/spend\?team=north&amp;download=xlsx&amp;table=2"/);
    assert.equal(wrapTables(wrapped, "/spend?team=north"), wrapped, "a kept page is left as it is");
  });

  test("with no address to download from (a form's answer), each table is boxed with no links", () => {
    const wrapped = wrapTables(PAGE, null);
    assert.equal((wrapped.match(/class="bp-table-scroll"/g) ?? []).length, 2);
    assert.match(wrapped, /<div class="bp-table-scroll"[^>]*><table class="govuk-table" data-bp-table="1">/);
    assert.doesNotMatch(wrapped, /download=|Download this table/);
  });

  test("a table reads back as shown, figures as numbers and spans kept in place", () => {
    const table = readTable(PAGE, 1);
    assert.ok(table);
    assert.equal(table.caption, 'Made-up spend, "north"');
    assert.deepEqual(table.rows.slice(1), [
      ["North (does not add up)", "1,234,567"],
      ["Note, with a comma", ""],
    ]);
    assert.deepEqual(tableCsvCells(readTable(PAGE, 2)?.rows ?? []), [[-0.5, "26.6%"]]);
    assert.equal(readTable(PAGE, 3), undefined);
  });
});

describe("table downloads from a page", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  before(async () => {
    database = await freshDatabase("pglite");
    await buildSetUpCouncil(database.db);
    app = await testApp(database.db);
    app.get("/test/table", async (request, reply) => {
      const { team } = request.query as { team?: string };
      const rows = [
        ["North", "12"],
        ["South", "7"],
      ].filter(([name]) => !team || name?.toLowerCase() === team);
      return reply
        .type("text/html")
        .send(
          `<main><table><caption>Made-up teams</caption><tr><th>Team</th><th>Cases</th></tr>${rows.map((row) => `<tr><td>${row.join("</td><td>")}</td></tr>`).join("")}</table></main>`,
        );
    });
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  test("CSV and Excel hold the table as filtered on the page", async () => {
    const page = await app.inject("/test/table?team=south");
    assert.match(page.body, /href="\/test\/table\?team=south&amp;download=csv&amp;table=1"/);
    const csv = await app.inject("/test/table?team=south&download=csv&table=1");
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    assert.match(String(csv.headers["content-disposition"]), /attachment; filename="made-up-teams\.csv"/);
    assert.equal(csv.body, "Made-up teams\r\nTeam,Cases\r\nSouth,7\r\n");
    const xlsx = await app.inject("/test/table?team=south&download=xlsx&table=1");
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet?.name, "Made-up teams");
    assert.deepEqual([sheet?.getCell("A3").value, sheet?.getCell("B3").value], ["South", 7]);
    assert.equal((await app.inject("/test/table?download=csv&table=4")).statusCode, 404);
  });
});
