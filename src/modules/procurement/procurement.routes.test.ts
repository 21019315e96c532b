import { formSession } from "../../../test/helpers/forms.ts";
import { validatePackage, validateRelease } from "../../../test/helpers/ocds.ts";
// Loaders first: test/helpers imports load-demo.ts, whose loaders import it back; entering the
// cycle here lets every loader see DEMO_DIRECTORY initialised.
import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { freshDatabase, type TestDatabase } from "../../../test/helpers/database.ts";
import { loadConfig } from "../../config.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { getProcurement } from "./procurement.service.ts";

const FORM = "application/x-www-form-urlencoded";

describe("procurement pages", () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await freshDatabase("pglite", { demo: true });
    app = await createApp(
      createServices(
        database.db,
        loadConfig({ NODE_ENV: "test", BASEPLAN_ACTING_USER: "web.officer@demo-council.example" }),
      ),
    );
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  async function post(path: string, formPath: string, fields: Record<string, string>) {
    const { token, cookie } = await formSession(app, formPath);
    return app.inject({
      method: "POST",
      url: path,
      payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
      headers: { "content-type": FORM, cookie },
    });
  }

  test("the forward plan shows both bands with their totals and the banding note", async () => {
    const response = await app.inject("/procurement");
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /data-testid="total-floor-to-threshold"><strong>£1,542,000</);
    assert.match(response.body, /data-testid="total-above-threshold"><strong>£73,240,000</);
    assert.match(response.body, /£189,330 goods and services threshold/);
    assert.match(response.body, /Approx. Lifetime costs 150,000.00/);
    assert.match(response.body, /service-navigation__link" href="\/procurement"[^>]*>[^/]*Procurement/);
  });

  test("a procurement's page gives its band explanation", async () => {
    const response = await app.inject("/procurement/cs-fp-2021-t2-01");
    assert.equal(response.statusCode, 200);
    assert.match(
      response.body,
      /£200,000 is above the goods and services threshold of £189,330 in force on 1 October 2021\./,
    );
  });

  test("a bad amount or date is refused with 400 and the error summary, and nothing changes", async () => {
    const before = await getProcurement(database.db, "cs-fp-2021-t1-01");
    const response = await post("/procurement/cs-fp-2021-t1-01/edit", "/procurement/cs-fp-2021-t1-01/edit", {
      version: String(before.record.version),
      title: "Changed title",
      estimatedValue: "sixty thousand",
      estimatedStartDate: "31/13/2021",
      category: "services",
      department: "Children's Services",
      status: "planned",
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /<title>Error: /);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#estimatedValue"/);
    assert.match(response.body, /href="#estimatedStartDate"/);
    const afterwards = await getProcurement(database.db, "cs-fp-2021-t1-01");
    assert.deepEqual(afterwards.record, before.record);
  });

  test("a good edit redirects with 303 and is audited; the same stale form then gets the 409 page", async () => {
    const before = await getProcurement(database.db, "cs-fp-2021-t1-02");
    const fields = {
      version: String(before.record.version),
      title: before.title,
      estimatedValue: "65,000.00",
      estimatedStartDate: "1/8/2021",
      category: "services",
      department: "Children's Services",
      division: "Early Help",
      status: "advertised",
    };
    const saved = await post(
      "/procurement/cs-fp-2021-t1-02/edit",
      "/procurement/cs-fp-2021-t1-02/edit",
      fields,
    );
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/procurement/cs-fp-2021-t1-02");
    const [event] = await listAuditEvents(database.db, "planned-procurement", "cs-fp-2021-t1-02");
    assert.equal(event?.actor, "web.officer@demo-council.example");
    const stale = await post("/procurement/cs-fp-2021-t1-02/edit", "/procurement/cs-fp-2021-t1-02/edit", {
      ...fields,
      status: "withdrawn",
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone else changed this/);
    assert.equal((await getProcurement(database.db, "cs-fp-2021-t1-02")).record.status, "advertised");
  });

  test("a threshold row with overlapping dates is refused with a clear message", async () => {
    const response = await post("/procurement/thresholds", "/procurement/thresholds", {
      inForceFrom: "2025-06-01",
      goodsAndServices: "210,000",
      works: "5,000,000",
      lightTouchServices: "663,540",
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /dated before row 4/);
  });

  test("every JSON release of the 2022/23 pipeline validates against the OCDS schema", async () => {
    const response = await app.inject("/procurement/pipeline/2022.json");
    assert.equal(response.statusCode, 200);
    const pack = response.json() as { releases: { ocid: string }[] };
    assert.equal(pack.releases.length, 5);
    assert.ok(validatePackage(pack), JSON.stringify(validatePackage.errors, null, 2));
    for (const release of pack.releases) {
      assert.ok(validateRelease(release), JSON.stringify(validateRelease.errors, null, 2));
      assert.match(release.ocid, /^ocds-baseplan-cs-fp-2021-t2-\d\d$/);
    }
  });

  test("the pipeline page lists the 2022/23 contracts over £2m", async () => {
    const response = await app.inject("/procurement/pipeline?year=2022");
    assert.equal(response.statusCode, 200);
    assert.equal((response.body.match(/data-testid="pipeline-row-/g) ?? []).length, 5);
  });

  test("the CSV exports", async () => {
    const plan = await app.inject("/procurement/forward-plan.csv");
    assert.equal(plan.statusCode, 200);
    assert.match(String(plan.headers["content-type"]), /text\/csv/);
    assert.equal(plan.body.trimEnd().split("\r\n").length, 34);
    // Only invitations to tender: the one row advertised by the edit test above, not the 32 planned.
    const transparency = await app.inject("/procurement/invitations-to-tender.csv");
    const lines = transparency.body.trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "Reference number,Title,Description of the goods and/or services sought,Start date,End date,Review date,Local authority department responsible,Estimated whole-life value (£)",
    );
    assert.deepEqual(lines.slice(1), [
      'cs-fp-2021-t1-02,Fostering Service Hub,,2021-08-01,,,"Children\'s Services, Early Help",65000.00',
    ]);
    const page = await app.inject("/procurement");
    assert.match(page.body, /invitations to tender over £5,000/);
    assert.match(page.body, /lists only procurements out to tender now \(status Advertised\)/);
  });
  test("dates are typed in the GOV.UK date input, with GOV.UK's messages, and saved from it", async () => {
    const path = "/procurement/cs-fp-2021-t1-03/edit";
    const form = await app.inject(path);
    assert.match(form.body, /name="estimatedStartDate-day"/);
    assert.match(form.body, /name="estimatedStartDate-month"/);
    assert.match(form.body, /name="estimatedStartDate-year"/);
    const before = await getProcurement(database.db, "cs-fp-2021-t1-03");
    const fields = (dates: Record<string, string>) => ({
      version: String(before.record.version),
      title: before.title,
      estimatedValue: before.record.estimatedValueText,
      category: before.record.category,
      department: before.record.department,
      status: before.record.status,
      "expectedCommencementDate-day": "",
      "expectedCommencementDate-month": "",
      "expectedCommencementDate-year": "",
      ...dates,
    });
    const cases: [Record<string, string>, RegExp, string][] = [
      [
        { "estimatedStartDate-day": "", "estimatedStartDate-month": "", "estimatedStartDate-year": "" },
        /Enter the estimated start date/,
        "estimatedStartDate-day",
      ],
      [
        { "estimatedStartDate-day": "1", "estimatedStartDate-month": "", "estimatedStartDate-year": "2025" },
        /Estimated start date must include a month/,
        "estimatedStartDate-month",
      ],
      [
        {
          "estimatedStartDate-day": "31",
          "estimatedStartDate-month": "2",
          "estimatedStartDate-year": "2025",
        },
        /Estimated start date must be a real date/,
        "estimatedStartDate-day",
      ],
      [
        { "estimatedStartDate-day": "1", "estimatedStartDate-month": "4", "estimatedStartDate-year": "25" },
        /Year must include 4 numbers/,
        "estimatedStartDate-year",
      ],
    ];
    for (const [dates, message, field] of cases) {
      const response = await post(path, path, fields(dates));
      assert.equal(response.statusCode, 400, JSON.stringify(dates));
      assert.match(response.body, message);
      assert.ok(response.body.includes(`href="#${field}"`), `the summary links to ${field}`);
      assert.match(response.body, new RegExp(`govuk-input--error" id="${field}"`));
    }
    assert.deepEqual((await getProcurement(database.db, "cs-fp-2021-t1-03")).record, before.record);

    const saved = await post(
      path,
      path,
      fields({
        "estimatedStartDate-day": "1",
        "estimatedStartDate-month": "Sept",
        "estimatedStartDate-year": "2021",
        "expectedCommencementDate-day": "02",
        "expectedCommencementDate-month": "8",
        "expectedCommencementDate-year": "2021",
      }),
    );
    assert.equal(saved.statusCode, 303);
    const after = (await getProcurement(database.db, "cs-fp-2021-t1-03")).record;
    assert.equal(after.estimatedStartDate, "2021-09-01");
    assert.equal(after.expectedCommencementDate, "2021-08-02");
    const reopened = await app.inject(path);
    assert.match(
      reopened.body,
      /id="estimatedStartDate-month" name="estimatedStartDate-month" type="text" value="9"/,
    );
  });

  test("the reporting floor: 400 on a bad amount, 303 and audited, 409 for a stale form", async () => {
    const page = await app.inject("/procurement/thresholds");
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1];
    assert.ok(version);
    assert.match(page.body, /name="reportingFloor" type="text" value="50,000"/);
    const refused = await post("/procurement/reporting-floor", "/procurement/thresholds", {
      version,
      reportingFloor: "fifty thousand",
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<title>Error: /);
    assert.match(refused.body, /href="#reportingFloor"/);
    assert.match(refused.body, /Enter the reporting floor in pounds/);
    const saved = await post("/procurement/reporting-floor", "/procurement/thresholds", {
      version,
      reportingFloor: "60,000",
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, "/procurement/thresholds");
    const [event] = await listAuditEvents(database.db, "procurement-settings", 1);
    assert.match(event?.summary ?? "", /£60,000/);
    assert.equal(event?.actor, "web.officer@demo-council.example");
    const stale = await post("/procurement/reporting-floor", "/procurement/thresholds", {
      version,
      reportingFloor: "70,000",
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /£60,000/);
    assert.match(stale.body, /£70,000/);
    // Put the floor back for the other tests.
    const current = /name="version" value="(\d+)"/.exec(
      (await app.inject("/procurement/thresholds")).body,
    )?.[1];
    const restored = await post("/procurement/reporting-floor", "/procurement/thresholds", {
      version: current ?? "",
      reportingFloor: "50,000",
    });
    assert.equal(restored.statusCode, 303);
  });

  test("expected payments: 400 on a bad amount, 303 and audited, 409 for a second first entry or a stale form", async () => {
    const path = "/procurement/pipeline/2023/expected-payments";
    const formPath = "/procurement/pipeline?year=2023";
    const refused = await post(path, formPath, { expectedPayments: "lots" });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /href="#expectedPayments"/);
    assert.match(refused.body, /value="lots"/);
    const saved = await post(path, formPath, { expectedPayments: "120,000,000" });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, formPath);
    const [event] = await listAuditEvents(database.db, "procurement-expected-payments", 2023);
    assert.equal(event?.action, "create");
    const page = await app.inject(formPath);
    assert.match(page.body, /name="version" value="1"/);
    assert.match(page.body, /name="expectedPayments" type="text" value="120,000,000"/);
    // Someone whose form was opened before the first entry (no version) does not overwrite it.
    const second = await post(path, formPath, { expectedPayments: "90,000,000" });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /£120,000,000/);
    assert.match(second.body, /£90,000,000/);
    const changed = await post(path, formPath, { version: "1", expectedPayments: "95,000,000" });
    assert.equal(changed.statusCode, 303);
    const stale = await post(path, formPath, { version: "1", expectedPayments: "80,000,000" });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /£95,000,000/);
  });

  test("the pipeline notice as CSV", async () => {
    const response = await app.inject("/procurement/pipeline/2022.csv");
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers["content-type"]), /text\/csv/);
    assert.match(String(response.headers["content-disposition"]), /pipeline-notice-2022\.csv/);
    const lines = response.body.trimEnd().split("\r\n");
    assert.equal(lines.length, 6);
    assert.equal((await app.inject("/procurement/pipeline/2022.txt")).statusCode, 404);
  });
});
