import assert from "node:assert/strict";
import { test } from "node:test";
import { withApp } from "../../../test/helpers/app.ts";
import { buildBudgetMonitoring, buildSetUpCouncil } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { validForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { moneyConventionsSchema } from "./finance.schemas.ts";
import * as finance from "./finance.service.ts";

/** How the council prints money, as its budget settings, on budget lines made up for the test. */
describeOnBothDatabases("money conventions as budget settings", (fresh) => {
  const lines = [
    { name: "Car parking income", budget: -200_000_000, forecast: -180_000_000 },
    { name: "New line", budget: 0, forecast: 5_000_000 },
    { name: "Libraries", budget: 300_000_000, forecast: 301_000_000 },
  ];

  test("the defaults print as before; the council's choice changes the percentages, audited", async () => {
    const { db } = await fresh();
    await buildBudgetMonitoring(db, { startYear: 2033, quarter: 2, lines });
    const percentages = async () =>
      (await finance.forecastOutturnReport(db, "2033-34", 2)).lines?.map((line) => [
        line.name,
        line.percentage,
      ]);
    const before = await finance.moneyConventions(db);
    assert.deepEqual(before.conventions, {
      defaultUnit: "pounds",
      bracketsMean: "underspend",
      negativeBase: "against-size",
      percentageDecimals: 1,
      zeroBase: "100%",
    });
    // An income shortfall of £200,000 on a £2,000,000 income budget: 10% against its size.
    assert.deepEqual(await percentages(), [
      ["Car parking income", "10.0%"],
      ["New line", "100.0%"],
      ["Libraries", "0.3%"],
    ]);
    const edit = validForm(moneyConventionsSchema, {
      defaultUnit: "thousands",
      bracketsMean: "overspend",
      negativeBase: "as-signed",
      percentageDecimals: "2",
      zeroBase: "-",
      version: String(before.version),
    });
    const saved = await finance.updateMoneyConventions(db, TEST_ACTOR, edit);
    assert.equal(saved.version, before.version + 1);
    assert.deepEqual(await percentages(), [
      ["Car parking income", "-10.00%"],
      ["New line", "-"],
      ["Libraries", "0.33%"],
    ]);
    const [event] = await listAuditEvents(db, "finance-settings", 1);
    assert.equal(event?.actor, TEST_ACTOR);
    assert.match(event?.summary ?? "", /Brackets in a variance column mean an overspend/);
    assert.deepEqual(
      { ...(event?.after as Record<string, unknown>) },
      {
        defaultUnit: "thousands",
        bracketsMean: "overspend",
        negativeBase: "as-signed",
        percentageDecimals: 2,
        zeroBase: "-",
        version: before.version + 1,
      },
    );
    // A form opened before that save is refused and changes nothing.
    await assert.rejects(
      finance.updateMoneyConventions(db, TEST_ACTOR, { ...edit, percentageDecimals: 0 }),
      (error: unknown) => error instanceof Conflict && error.fields.length === 5,
    );
    assert.equal((await finance.moneyConventions(db)).conventions.percentageDecimals, 2);
  });

  test("each bad field is named, and nothing is saved", () => {
    assert.throws(
      () =>
        validForm(moneyConventionsSchema, {
          defaultUnit: "euros",
          bracketsMean: "",
          negativeBase: "against-size",
          percentageDecimals: "1.5",
          zeroBase: "n/a",
          version: "1",
        }),
      (error: unknown) =>
        error instanceof ValidationFailed &&
        error.errors.map((problem) => problem.field).join(",") ===
          "defaultUnit,bracketsMean,percentageDecimals",
    );
  });

  test("the settings form: 400 naming the field, 303 with a banner, the budget page follows, 409 when stale", async () => {
    const { db } = await fresh();
    await buildSetUpCouncil(db);
    await buildBudgetMonitoring(db, { startYear: 2033, quarter: 2, lines });
    await withApp(db, async (app) => {
      const { token, cookie, page } = await formSession(app, "/budget/settings");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /name="bracketsMean" type="radio" value="underspend" checked/);
      const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
      const post = (fields: Record<string, string>) =>
        app.inject({
          method: "POST",
          url: "/budget/settings/money",
          payload: new URLSearchParams({ _csrf: token ?? "", ...fields }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const fields = {
        defaultUnit: "millions",
        bracketsMean: "underspend",
        negativeBase: "as-signed",
        percentageDecimals: "3",
        zeroBase: "-",
        version,
      };
      const refused = await post({ ...fields, percentageDecimals: "five" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /<title>Error: /);
      assert.match(refused.body, /href="#percentageDecimals"/);
      assert.match(refused.body, /value="five"/);
      assert.equal((await finance.moneyConventions(db)).conventions.percentageDecimals, 1);
      const saved = await post(fields);
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, "/budget/settings");
      const outturn = await app.inject("/budget/2033-34/q2");
      assert.match(outturn.body, /-10\.000%/);
      const stale = await post({ ...fields, percentageDecimals: "0" });
      assert.equal(stale.statusCode, 409);
      assert.equal((await finance.moneyConventions(db)).conventions.percentageDecimals, 3);
    });
  });
});
