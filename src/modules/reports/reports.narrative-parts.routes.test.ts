import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { testApp } from "../../../test/helpers/app.ts";
import { buildRecordedQuarter } from "../../../test/helpers/builders.ts";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";

const FORM = "/reports/quarterly/2030-31/q4/narrative";

/** The narrative form's committee parts: radios, text, a GOV.UK date input; errors beside each. */
describe("the report narrative form's key decision, call-in, papers, author and date", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite");
    await buildRecordedQuarter(database.db, { startYear: 2030, quarter: 4 });
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

  test("the form asks each part; a bad date and a yes without its reference are named, typed text kept", async () => {
    const form = await app.inject(FORM);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<legend[^>]*>\s*Is the decision a key decision\?/);
    assert.match(form.body, /name="callInWaived" type="radio" value="yes"/);
    assert.match(form.body, /name="reportDate-day"/);
    assert.match(form.body, /id="authorContact" name="authorContact"/);

    const bad = await post({
      version: "0",
      purpose: "Quarter 4.",
      keyDecision: "yes",
      authorName: "Sam Patel",
      "reportDate-day": "30",
      "reportDate-month": "2",
      "reportDate-year": "2031",
    });
    assert.equal(bad.statusCode, 400);
    assert.match(
      bad.body,
      /href="#keyDecisionReference"[^>]*>Enter the key decision&#39;s reference|href="#keyDecisionReference"[^>]*>Enter the key decision's reference/,
    );
    assert.match(bad.body, /href="#reportDate"[^>]*>The date of the report must be a real date/);
    assert.match(bad.body, /name="reportDate-day" type="text" value="30"/);
    assert.match(bad.body, /name="authorName" type="text" value="Sam Patel"/);
    assert.match(bad.body, /name="keyDecision" type="radio" value="yes" checked/);
    assert.match((await app.inject(FORM)).body, /name="version" value="0"/);
  });

  test("saved: the form shows them again and the Word file prints them", async () => {
    const saved = await post({
      version: "0",
      purpose: "Quarter 4.",
      keyDecision: "yes",
      keyDecisionReference: "KD-2031-07",
      callInWaived: "no",
      backgroundPapers: "Budget working papers",
      authorName: "Sam Patel",
      authorJobTitle: "Finance Manager",
      authorContact: "sam.patel@anytown.example",
      "reportDate-day": "2",
      "reportDate-month": "3",
      "reportDate-year": "2031",
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const form = await app.inject(FORM);
    assert.match(form.body, /name="keyDecision" type="radio" value="yes" checked/);
    assert.match(form.body, /name="callInWaived" type="radio" value="no" checked/);
    assert.match(form.body, /name="reportDate-month" type="text" value="3"/);
    const word = await app.inject("/reports/quarterly/2030-31/q4.docx");
    const xml =
      (await (await JSZip.loadAsync(word.rawPayload)).file("word/document.xml")?.async("string")) ?? "";
    for (const expected of [
      "Author: Sam Patel, Finance Manager (sam.patel@anytown.example)",
      "2 March 2031",
      "Yes. Reference: KD-2031-07.",
      "Is it required that call-in be waived in respect of the decisions proposed in the report? No.",
      "Budget working papers",
    ]) {
      assert.ok(xml.includes(expected), expected);
    }
  });
});
