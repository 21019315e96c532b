import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import { Conflict, NotFound } from "../../errors.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { closePeriod, findPeriod, publishPeriod, quarterPeriod } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

/** Entering, changing and removing a quarter's financial risks, on a council made up for the test. */
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
  test("a risk is changed and removed only at the version seen, each audited with what it was", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031);
    const entry = {
      service: "Highways",
      risk: "Winter gritting costs",
      sensitivity: 10_000_000,
      likelihood: 2,
    };
    const at = { yearCode: "2031-32", quarter: 3 };
    const { risk } = await finance.addFinancialRisk(db, TEST_ACTOR, { ...at, entry });
    const { risk: other } = await finance.addFinancialRisk(db, TEST_ACTOR, {
      ...at,
      entry: { ...entry, service: "Waste", risk: "Landfill tax rises" },
    });
    const edit = { ...entry, risk: "Winter gritting and salt costs", sensitivity: 12_345_678, likelihood: 4 };
    const changed = await finance.updateFinancialRisk(db, "someone.else", {
      ...at,
      riskId: risk.id,
      edit: { ...edit, version: 1 },
    });
    assert.equal(changed.risk.version, 2);
    // A second change from a form opened at version 1 is refused; nothing of it saved.
    await assert.rejects(
      finance.updateFinancialRisk(db, TEST_ACTOR, {
        ...at,
        riskId: risk.id,
        edit: { ...edit, likelihood: 1, version: 1 },
      }),
      (error: unknown) =>
        error instanceof Conflict &&
        error.savedBy?.actor === "someone.else" &&
        error.fields.some(
          (field) => field.label === "Likelihood" && field.saved === "4" && field.submitted === "1",
        ),
    );
    await assert.rejects(
      finance.removeFinancialRisk(db, TEST_ACTOR, { ...at, riskId: risk.id, version: 1 }),
      Conflict,
    );
    // A risk is found only in its own year and quarter.
    await assert.rejects(finance.financialRiskForEdit(db, "2031-32", 2, risk.id), NotFound);
    let report = await finance.financialRisksReport(db, "2031-32", 3);
    assert.deepEqual(
      report.risks.map((row) => [row.risk, row.sensitivity.exact, row.likelihood]),
      [
        ["Winter gritting and salt costs", "£123,456.78", 4],
        ["Landfill tax rises", "£100,000.00", 2],
      ],
    );
    await finance.removeFinancialRisk(db, TEST_ACTOR, { ...at, riskId: risk.id, version: 2 });
    report = await finance.financialRisksReport(db, "2031-32", 3);
    assert.deepEqual(
      report.risks.map((row) => row.id),
      [other.id],
    );
    const events = await listAuditEvents(db, "financial-risk", risk.id);
    assert.deepEqual(
      events.map((event) => [event.action, event.actor]),
      [
        ["delete", TEST_ACTOR],
        ["update", "someone.else"],
        ["create", TEST_ACTOR],
      ],
    );
    assert.equal((events[0]?.before as { risk?: string } | null)?.risk, "Winter gritting and salt costs");
    assert.equal((events[1]?.before as { likelihood?: number } | null)?.likelihood, 2);
    // Removing it again: it is gone, so the form's address answers 404.
    await assert.rejects(
      finance.removeFinancialRisk(db, TEST_ACTOR, { ...at, riskId: risk.id, version: 2 }),
      NotFound,
    );
  });

  test("the change and remove forms: bad input, a stale form, then refused once closed or published", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031);
    await buildOpenQuarter(db, 2031, 4);
    await buildOpenQuarter(db, 2031, 2);
    const entry = { service: "Parks", risk: "Storm damage to trees", sensitivity: 5_000_000, likelihood: 3 };
    const { risk } = await finance.addFinancialRisk(db, TEST_ACTOR, {
      yearCode: "2031-32",
      quarter: 4,
      entry,
    });
    const { risk: second } = await finance.addFinancialRisk(db, TEST_ACTOR, {
      yearCode: "2031-32",
      quarter: 2,
      entry,
    });
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      const list = await app.inject("/budget/2031-32/q4/risks");
      assert.match(list.body, new RegExp(`href="/budget/2031-32/q4/risks/${risk.id}/edit"`));
      assert.match(list.body, new RegExp(`href="/budget/2031-32/q4/risks/${risk.id}/remove"`));
      const edit = `/budget/2031-32/q4/risks/${risk.id}/edit`;
      const form = await app.inject(edit);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<h1 class="govuk-heading-l">Change a financial risk<\/h1>/);
      assert.match(form.body, /value="Parks"/);
      assert.match(form.body, /value="£50,000.00"/);
      assert.match(form.body, /name="version" value="1"/);
      assert.equal((await app.inject(`/budget/2031-32/q2/risks/${risk.id}/edit`)).statusCode, 404);
      const { token, cookie } = await formSession(app, edit);
      const post = (url: string, fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url,
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const bad = await post(edit, {
        service: "Parks",
        risk: "",
        sensitivity: "lots",
        likelihood: "7",
        version: "1",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#risk"/);
      assert.match(bad.body, /href="#sensitivity"/);
      assert.match(bad.body, /href="#likelihood"/);
      assert.match(bad.body, /value="lots"/);
      assert.match(bad.body, /name="version" value="1"/);
      const saved = await post(edit, {
        service: "Parks",
        risk: "Storm damage to trees",
        sensitivity: "£60,000",
        likelihood: "5",
        version: "1",
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/2031-32/q4/risks");
      const banner = saved.cookies.find((cookieSet) => cookieSet.name === "baseplan-saved");
      assert.ok(banner);
      const after = await app.inject({
        url: "/budget/2031-32/q4/risks",
        cookies: { [banner.name]: banner.value },
      });
      assert.match(after.body, /govuk-notification-banner--success[\s\S]*The financial risk was changed\./);
      assert.match(after.body, /0\.060/);
      // The same form sent again (opened at version 1): the conflict page, nothing changed.
      const stale = await post(edit, {
        service: "Parks",
        risk: "Storm damage to trees",
        sensitivity: "£70,000",
        likelihood: "1",
        version: "1",
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /changed by someone else/);
      assert.match(stale.body, /£70,000.00/);
      const remove = `/budget/2031-32/q4/risks/${risk.id}/remove`;
      const confirm = await app.inject(remove);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Remove this financial risk\?/);
      assert.match(confirm.body, /name="version" value="2"/);
      assert.equal((await post(remove, { version: "1" })).statusCode, 409);
      assert.equal((await post(remove, {})).statusCode, 400);
      assert.equal((await finance.financialRisksReport(db, "2031-32", 4)).risks.length, 1);
      const removed = await post(remove, { version: "2" });
      assert.equal(removed.statusCode, 303);
      const gone = removed.cookies.find((cookieSet) => cookieSet.name === "baseplan-saved");
      assert.ok(gone);
      const empty = await app.inject({
        url: "/budget/2031-32/q4/risks",
        cookies: { [gone.name]: gone.value },
      });
      assert.match(empty.body, /The financial risk was removed\./);
      assert.match(empty.body, /No financial risks have been reported/);
      assert.equal((await app.inject(remove)).statusCode, 404);

      // Quarter 2 closed for entry, then published: each form refused with the page saying why.
      const q2 = quarterPeriod(2031, 2);
      const closeAt = (await findPeriod(db, q2))?.version ?? 0;
      await closePeriod(db, TEST_ACTOR, { period: q2, version: closeAt, confirmMissing: true });
      const secondEdit = `/budget/2031-32/q2/risks/${second.id}/edit`;
      const secondRemove = `/budget/2031-32/q2/risks/${second.id}/remove`;
      for (const url of [secondEdit, secondRemove]) {
        const refused = await app.inject(url);
        assert.equal(refused.statusCode, 409);
        assert.match(refused.body, /Quarter 2 2031\/32 is closed for entry, not open for entry\./);
      }
      assert.doesNotMatch((await app.inject("/budget/2031-32/q2/risks")).body, /data-testid="change-risk"/);
      const publishAt = (await findPeriod(db, q2))?.version ?? 0;
      await publishPeriod(db, TEST_ACTOR, { period: q2, version: publishAt, confirmMissing: true });
      const refusedPost = await post(secondRemove, { version: "1" });
      assert.equal(refusedPost.statusCode, 409);
      assert.match(refusedPost.body, /Quarter 2 2031\/32 is published, not open for entry\./);
      const refusedEdit = await post(secondEdit, {
        ...entry,
        sensitivity: "£1",
        likelihood: "1",
        version: "1",
      });
      assert.equal(refusedEdit.statusCode, 409);
      assert.equal((await finance.financialRisksReport(db, "2031-32", 2)).risks[0]?.version, 1);
    } finally {
      await app.close();
    }
  });
});
