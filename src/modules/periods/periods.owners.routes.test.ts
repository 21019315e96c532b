import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { postForm } from "../../../test/helpers/forms.ts";
import { monitoringSetting } from "./periods.service.ts";

/** The section owners form's version, as the settings page sends it. */
async function ownersVersion(app: FastifyInstance): Promise<string> {
  const page = await app.inject("/periods/settings");
  const form = /<form method="post" action="\/periods\/settings\/owners"[\s\S]*?<\/form>/.exec(
    page.body,
  )?.[0];
  assert.ok(form, "the settings page has the section owners form");
  return /name="version" value="(\d+)"/.exec(form)?.[1] ?? "";
}

describeOnBothDatabases("owners on the period page", (fresh) => {
  test("section owners are set in the settings and a line's budget holder on the set-up page", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Culture", plan: { fromYear: 2043, toYear: 2046 } });
    await buildMonitoringYear(db, 2044);
    await buildOpenQuarter(db, 2044, 3);
    const app = await testApp(db);

    const version = await ownersVersion(app);
    const tooLong = await postForm(app, "/periods/settings", "/periods/settings/owners", {
      version,
      "owner-debt": "Dee Collector",
      "owner-narrative": "n".repeat(201),
    });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /govuk-error-summary/);
    assert.match(
      tooLong.body,
      /href="#owner-narrative">The owner of report narrative must be 200 characters or fewer/,
    );
    assert.match(tooLong.body, /value="Dee Collector"/, "what was typed is kept");
    assert.deepEqual((await monitoringSetting(db))?.sectionOwners, {});

    const saved = await postForm(app, "/periods/settings", "/periods/settings/owners", {
      version,
      "owner-debt": "Dee Collector",
      "owner-reserves": "",
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const shown = await app.inject({
      url: "/periods/settings",
      headers: { cookie: saved.headers["set-cookie"] as string },
    });
    assert.match(shown.body, /The section owners were saved/);
    assert.match(shown.body, /name="owner-debt" type="text" spellcheck="false" value="Dee Collector"/);

    const stale = await postForm(app, "/periods/settings", "/periods/settings/owners", {
      version,
      "owner-debt": "Someone Else",
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Someone Else/);
    assert.deepEqual((await monitoringSetting(db))?.sectionOwners, { debt: "Dee Collector" });

    const structure = "/budget/2044-45/structure";
    const form = await app.inject(`${structure}/line/new`);
    assert.match(form.body, /Budget holder/);
    const added = await postForm(app, `${structure}/line/new`, `${structure}/line/new`, {
      name: "Galleries",
      owner: "Gil Holder",
    });
    assert.equal(added.statusCode, 303, added.body);
    assert.match((await app.inject(structure)).body, /Galleries<\/strong> · Budget holder: Gil Holder/);
    await postForm(app, `${structure}/line/new`, `${structure}/line/new`, { name: "Theatres" });

    const period = await app.inject("/periods/2044-45/q3");
    assert.equal(period.statusCode, 200);
    assert.match(
      period.body,
      /Galleries<span class="govuk-visually-hidden">: enter it<\/span><\/a> <span[^>]*>Owner: Gil Holder/,
    );
    assert.match(
      period.body,
      /Theatres<span class="govuk-visually-hidden">: enter it<\/span><\/a> <span[^>]*>Owner: not set/,
    );
    assert.match(
      period.body,
      /Debt by age band<span class="govuk-visually-hidden">: enter it<\/span><\/a> <span[^>]*>Owner: Dee Collector/,
    );
  });
});
