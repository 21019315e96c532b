import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { testApp } from "../../../test/helpers/app.ts";
import { buildRecordedQuarter, type RecordedQuarter } from "../../../test/helpers/builders.ts";
import { freshDatabase, TEST_ACTOR, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { closePeriod, findPeriod } from "../periods/periods.service.ts";

const FORM = "/reports/quarterly/2030-31/q4/narrative";

describe("the report narrative form", () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let recorded: RecordedQuarter;

  before(async () => {
    database = await freshDatabase("pglite");
    recorded = await buildRecordedQuarter(database.db, { startYear: 2030, quarter: 4 });
    app = await testApp(database.db);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(fields: Record<string, string>) {
    const { token, cookie } = await formSession(app, FORM);
    return app.inject({
      method: "POST",
      url: FORM,
      payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
  }

  test("the report page links to the form while the period is open", async () => {
    const page = await app.inject("/reports/quarterly/2030-31/q4");
    assert.match(page.body, /href="\/reports\/quarterly\/2030-31\/q4\/narrative"/);
    const form = await app.inject(FORM);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1 class="govuk-heading-l">Report narrative<\/h1>/);
    assert.match(
      form.body,
      /<label class="govuk-label govuk-label--s" for="purpose">\s*Purpose of the report/,
    );
    assert.match(form.body, /name="version" value="0"/);
  });

  test("all blank: the error summary names the field, nothing saved", async () => {
    const response = await post({ version: "0", purpose: "" });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    assert.match(response.body, /href="#purpose"[^>]*>Write at least one part of the narrative/);
    assert.match((await app.inject(FORM)).body, /name="version" value="0"/);
  });

  test("saved: a banner, and the report's page and Word file show the words", async () => {
    const saved = await post({
      version: "0",
      purpose: "To report quarter 4 performance and the forecast outturn.",
      varianceExplanations: "Highways maintenance is over budget after the winter.",
      recommendations: "That the committee notes the report.",
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/reports/quarterly/2030-31/q4");
    const page = await app.inject({
      url: "/reports/quarterly/2030-31/q4",
      headers: { cookie: saved.cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    assert.match(page.body, /The report narrative was saved\./);
    assert.match(page.body, /To report quarter 4 performance and the forecast outturn\./);
    assert.match(page.body, /Highways maintenance is over budget after the winter\./);
    const word = await app.inject("/reports/quarterly/2030-31/q4.docx");
    const xml =
      (await (await JSZip.loadAsync(word.rawPayload)).file("word/document.xml")?.async("string")) ?? "";
    assert.ok(xml.includes("That the committee notes the report."));
    assert.ok(xml.includes(recorded.line));
    // The form now holds the saved words at version 1; a form opened at version 0 is a conflict.
    assert.match((await app.inject(FORM)).body, /name="version" value="1"/);
    const stale = await post({ version: "0", purpose: "Someone else's purpose." });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else&#39;s purpose\.|Someone else's purpose\./);
  });

  test("a period closed for entry: the form is refused, saying why", async () => {
    const state = await findPeriod(database.db, recorded.period);
    await closePeriod(database.db, TEST_ACTOR, {
      period: recorded.period,
      version: state?.version ?? 0,
      confirmMissing: true,
    });
    const form = await app.inject(FORM);
    assert.equal(form.statusCode, 409);
    assert.match(
      form.body,
      /Quarter 4 2030\/31 is closed for entry, not open for entry\. Nothing was saved\./,
    );
    assert.match(form.body, /href="\/periods"/);
    assert.doesNotMatch((await app.inject("/reports/quarterly/2030-31/q4")).body, /\/narrative"/);
  });
});
