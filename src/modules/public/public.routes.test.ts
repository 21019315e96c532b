import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import JSZip from "jszip";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildMeasure,
  buildMeasureValue,
  buildOpenQuarter,
  buildRecordedQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { postPageForm as postForm } from "../../../test/helpers/forms.ts";
import { buildPerson, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import { councils, measures } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { editMeasureDetails, measurePage } from "../measures/measures.service.ts";
import { closePeriod, findPeriod, publishPeriod } from "../periods/periods.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-public-pages-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-public-pages-tests",
};

/** Every piece of text inside a Word or Excel file (a zip of XML parts). */
async function textOfZip(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = await Promise.all(
    Object.values(zip.files)
      .filter((entry) => !entry.dir && /\.(xml|rels)$/.test(entry.name))
      .map((entry) => entry.async("string")),
  );
  return parts.join("\n");
}

describeOnBothDatabases("the public pages", (fresh) => {
  test("a published period's report and a public measure's figures are shown without signing in; nothing unpublished is", async () => {
    const { db } = await fresh();
    // A made-up council: quarter 2 of 2037/38 recorded (a deliverable, a measure value of 87.5%).
    const recorded = await buildRecordedQuarter(db, { startYear: 2037, quarter: 2 });
    const Q2 = recorded.period;
    const Q3 = monitoringPeriod(2037, "quarter", 3);
    const [council] = await db.select().from(councils);
    assert.ok(council);
    const [row] = await db.select().from(measures).where(eq(measures.title, recorded.measure));
    assert.ok(row);
    const id = row.id;
    const details = (await measurePage(db, id)).measure;
    await editMeasureDetails(db, "Test", {
      measureId: id,
      version: details.version,
      details: {
        title: details.title,
        code: details.code,
        definition: "Potholes reported and repaired within two days.",
        unit: details.unit,
        decimals: details.decimals,
        polarity: details.polarity,
        frequency: details.frequency,
        basis: details.basis,
        source: details.source,
        owner: "Robin Quill",
      },
    });
    // A measure the council does not make public, with a value in the period to be published.
    const hidden = await buildMeasure(db, {
      title: "Gritting routes cleared before dawn",
      unit: "count",
      frequency: "quarterly",
    });
    await buildMeasureValue(db, { measureId: hidden.id, period: Q2, text: "4321" });

    const officer = await buildPerson(db, { councilId: council.id, roles: ["performance-officer"] });
    const viewer = await buildPerson(db, { councilId: council.id, roles: ["viewer"] });
    const admin = await buildPerson(db, { councilId: council.id, roles: ["administrator"] });
    const config = loadConfig(PRODUCTION);
    const app = await testApp(db, PRODUCTION);
    const as = (id: number) => sessionCookieFor(db, config, id);

    // Only a performance officer (or an administrator) marks a measure public, through its form.
    const byViewer = await postForm(
      app,
      await as(viewer.id),
      `/measures/${id}/public`,
      `/measures/${id}/public`,
      {
        public: "yes",
      },
    );
    assert.equal(byViewer.statusCode, 403);
    const noChoice = await postForm(
      app,
      await as(officer.id),
      `/measures/${id}/public`,
      `/measures/${id}/public`,
      {},
    );
    assert.equal(noChoice.statusCode, 400);
    assert.match(noChoice.body, /Select whether the measure is shown on the public pages/);
    assert.match(noChoice.body, /href="#public"/);
    assert.equal((await measurePage(db, id)).measure.isPublic, false, "nothing changed");
    const stale = await app.inject({
      method: "POST",
      url: `/measures/${id}/public`,
      payload: "public=yes&version=1",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: await as(officer.id) },
    });
    assert.notEqual(
      stale.statusCode,
      303,
      "a post without the form's token or at an old version saves nothing",
    );
    assert.equal((await measurePage(db, id)).measure.isPublic, false);
    const marked = await postForm(
      app,
      await as(officer.id),
      `/measures/${id}/public`,
      `/measures/${id}/public`,
      {
        public: "yes",
      },
    );
    assert.equal(marked.statusCode, 303, marked.body);
    assert.equal((await measurePage(db, id)).measure.isPublic, true);
    const history = await app.inject({ url: "/audit", headers: { cookie: await as(admin.id) } });
    assert.match(
      history.body,
      /Made &quot;Potholes repaired within 48 hours&quot; public|Made "Potholes repaired within 48 hours" public/,
    );

    // Before publishing, nobody signed in sees no report and no figure.
    const before = await app.inject("/public");
    assert.equal(before.statusCode, 200);
    assert.match(before.body, /No period has been published yet/);
    assert.equal((await app.inject("/public/reports/quarterly/2037-38/q2")).statusCode, 404);
    assert.doesNotMatch((await app.inject(`/public/measures/${id}`)).body, /87\.5%/);

    // Quarter 2 is published by a named officer; quarter 3 is opened and a value entered in it.
    const state = await findPeriod(db, Q2);
    assert.ok(state);
    await closePeriod(db, "Sasha Publisher", { period: Q2, version: state.version, confirmMissing: true });
    await publishPeriod(db, "Sasha Publisher", {
      period: Q2,
      version: state.version + 1,
      confirmMissing: true,
    });
    await buildOpenQuarter(db, 2037, 3);
    await buildMeasureValue(db, { measureId: id, period: Q3, text: "61.25%" });
    await buildMeasureValue(db, { measureId: hidden.id, period: Q3, text: "9876" });

    const pages = {
      index: await app.inject("/public"),
      report: await app.inject("/public/reports/quarterly/2037-38/q2"),
      measures: await app.inject("/public/measures"),
      measure: await app.inject(`/public/measures/${id}`),
    };
    for (const [name, page] of Object.entries(pages)) {
      assert.equal(page.statusCode, 200, `${name}: ${page.body.slice(0, 300)}`);
    }
    assert.match(pages.index.body, /href="\/public\/reports\/quarterly\/2037-38\/q2"/);
    assert.match(pages.index.body, /Quarter 2 2037\/38, published/);
    assert.match(pages.report.body, /Highways maintenance/, "the report's budget line");
    assert.match(pages.report.body, /87\.5%/);
    assert.match(pages.measures.body, /Potholes repaired within 48 hours/);
    assert.match(pages.measures.body, /87\.5%/);
    assert.match(pages.measure.body, /Quarter 2 2037\/38/);
    assert.match(pages.measure.body, /87\.5%/);
    assert.match(pages.measure.body, /Potholes reported and repaired within two days/);
    assert.match(
      pages.measure.body,
      /class="bp-rating bp-rating--[a-z-]+">[A-Z][a-z]/,
      "the rating in words",
    );

    const files = {
      docx: await app.inject("/public/reports/quarterly/2037-38/q2.docx"),
      xlsx: await app.inject("/public/reports/quarterly/2037-38/q2.xlsx"),
    };
    const documents: Record<string, string> = {};
    for (const [format, file] of Object.entries(files)) {
      assert.equal(file.statusCode, 200, `${format}: ${file.body.slice(0, 300)}`);
      documents[format] = await textOfZip(file.rawPayload);
    }
    assert.match(documents.docx ?? "", /Highways maintenance/);

    const everything = {
      ...Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, v.body])),
      ...documents,
    };
    for (const [name, text] of Object.entries(everything)) {
      assert.doesNotMatch(text, /61\.25%/, `${name}: a value in an open period`);
      assert.doesNotMatch(text, /9876/, `${name}: a value in an open period`);
      assert.doesNotMatch(text, /Quarter 3 2037\/38/, `${name}: the open period`);
      assert.doesNotMatch(text, /Robin Quill/, `${name}: the measure owner's name`);
      assert.doesNotMatch(text, /Sasha Publisher/, `${name}: who published the period`);
      assert.doesNotMatch(text, /Sign out|Signed in as/, `${name}: staff parts`);
    }
    // A measure not marked public has no public page of its own and is in no list of measures.
    for (const name of ["index", "measures", "measure"] as const) {
      assert.doesNotMatch(
        pages[name].body,
        /Gritting routes cleared before dawn/,
        `${name}: a measure not public`,
      );
      assert.doesNotMatch(pages[name].body, /4321/, `${name}: a measure not public`);
    }
    assert.equal((await app.inject(`/public/measures/${hidden.id}`)).statusCode, 404);
    // The open period's report and files are not public; neither is any staff page.
    for (const url of [
      "/public/reports/quarterly/2037-38/q3",
      "/public/reports/quarterly/2037-38/q3.docx",
      "/public/reports/quarterly/2037-38/q1",
    ]) {
      assert.equal((await app.inject(url)).statusCode, 404, url);
    }
    for (const url of ["/measures", "/reports", "/reports/quarterly/2037-38/q2", "/settings/public-pages"]) {
      const staff = await app.inject(url);
      assert.equal(staff.statusCode, 303, url);
      assert.match(String(staff.headers.location), /^\/sign-in/);
    }
    assert.equal((await app.inject({ method: "POST", url: "/public" })).statusCode >= 400, true);

    // The council chooses to show officers' names: only an administrator may.
    const byOfficer = await postForm(
      app,
      await as(officer.id),
      "/settings/public-pages",
      "/settings/public-pages",
      { showOfficerNames: "yes" },
    );
    assert.equal(byOfficer.statusCode, 403);
    const named = await postForm(
      app,
      await as(admin.id),
      "/settings/public-pages",
      "/settings/public-pages",
      {
        showOfficerNames: "yes",
      },
    );
    assert.equal(named.statusCode, 303, named.body);
    assert.match((await app.inject(`/public/measures/${id}`)).body, /Robin Quill/);
    assert.match((await app.inject("/public")).body, /by Sasha Publisher/);
    await app.close();
  });

  test("the officers' names setting refuses a form opened before someone else saved it", async () => {
    const { db } = await fresh();
    await buildRecordedQuarter(db, { startYear: 2041, quarter: 1, forecast: false });
    const [council] = await db.select().from(councils);
    assert.ok(council);
    const admin = await buildPerson(db, { councilId: council.id, roles: ["administrator"] });
    const config = loadConfig(PRODUCTION);
    const app = await testApp(db, PRODUCTION);
    const cookie = await sessionCookieFor(db, config, admin.id);
    const opened = await app.inject({ url: "/settings/public-pages", headers: { cookie } });
    const first = await postForm(app, cookie, "/settings/public-pages", "/settings/public-pages", {
      showOfficerNames: "yes",
    });
    assert.equal(first.statusCode, 303);
    const token = /name="_csrf" value="([^"]+)"/.exec(opened.body)?.[1] ?? "";
    const cookies = [cookie, ...opened.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
    const late = await app.inject({
      method: "POST",
      url: "/settings/public-pages",
      payload: new URLSearchParams({ _csrf: token, version: "0", showOfficerNames: "no" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
    });
    assert.equal(late.statusCode, 409, late.body);
    const now = await app.inject({ url: "/settings/public-pages", headers: { cookie } });
    assert.match(now.body, /value="yes" checked/);
    await app.close();
  });
});
