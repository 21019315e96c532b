import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import * as finance from "./finance.service.ts";

/** Entering a quarter's financial risks, on a council made up for the test. */
describeOnBothDatabases("financial risk entry", (fresh) => {
  test("a risk is added after those there, with its sensitivity in pence, audited", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031);
    const entry = {
      service: "Highways",
      risk: "Winter gritting costs",
      sensitivity: 25_000_050,
      likelihood: 3,
    };
    const first = await finance.addFinancialRisk(db, TEST_ACTOR, { yearCode: "2031-32", quarter: 2, entry });
    await finance.addFinancialRisk(db, TEST_ACTOR, {
      yearCode: "2031-32",
      quarter: 2,
      entry: { ...entry, service: "Waste", risk: "Landfill tax rises", likelihood: 5 },
    });
    const report = await finance.financialRisksReport(db, "2031-32", 2);
    assert.deepEqual(
      report.risks.map((risk) => [risk.service, risk.sensitivity.exact, risk.likelihood, risk.position]),
      [
        ["Highways", "£250,000.50", 3, 1],
        ["Waste", "£250,000.50", 5, 2],
      ],
    );
    assert.equal((await finance.financialRisksReport(db, "2031-32", 1)).risks.length, 0);
    const events = await listAuditEvents(db, "financial-risk", first.risk.id);
    assert.equal(events[0]?.action, "create");
    assert.equal(events[0]?.actor, TEST_ACTOR);
  });

  test("the form: refused for a quarter not open, 400 naming each bad field, then 303 with a banner", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031);
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      const path = "/budget/2031-32/q1/risks/new";
      assert.equal((await app.inject(path)).statusCode, 409);
      await buildOpenQuarter(db, 2031, 1);
      const form = await app.inject(path);
      assert.equal(form.statusCode, 200);
      const { token, cookie } = await formSession(app, path);
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: path,
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const refused = await post({ service: " ", risk: "Winter gritting costs", sensitivity: "12.5.3" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: /);
      assert.match(refused.body, /href="#service"/);
      assert.match(refused.body, /href="#sensitivity"/);
      assert.match(refused.body, /href="#likelihood"/);
      assert.match(refused.body, /value="12.5.3"/);
      assert.equal((await finance.financialRisksReport(db, "2031-32", 1)).risks.length, 0);
      const saved = await post({
        service: "Highways",
        risk: "Winter gritting costs",
        sensitivity: "£0.25m",
        likelihood: "4",
      });
      assert.equal(saved.statusCode, 303);
      assert.match(String(saved.headers.location), /^\/budget\/2031-32\/q1\/risks/);
      const banner = saved.cookies.find((entry) => entry.name === "baseplan-saved");
      assert.ok(banner, "the save leaves its sentence for the next page");
      const page = await app.inject({
        url: String(saved.headers.location),
        cookies: { [banner.name]: banner.value },
      });
      assert.match(page.body, /govuk-notification-banner--success[\s\S]*The financial risk was added\./);
      assert.match(page.body, /Winter gritting costs/);
      assert.match(page.body, /0\.250/);
      const closed = await app.inject("/budget/2031-32/q2/risks/new");
      assert.equal(closed.statusCode, 409);
      assert.match(closed.body, /Quarter 2 2031\/32 has not been opened for entry/);
    } finally {
      await app.close();
    }
  });
});
