import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { postPageForm, postWithoutPageForm } from "../../../test/helpers/forms.ts";
import { buildPerson, SIGN_IN_SETTINGS, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { Conflict, RoleRequired, ValidationFailed } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import {
  closePeriod,
  findPeriod,
  PeriodRefused,
  publishPeriod,
  reopenPeriod,
  requireOpenPeriod,
} from "./periods.service.ts";

// Reopening a closed period for entry (decision 0039), on a made-up council and year.

const Q2 = monitoringPeriod(2042, "quarter", 2);
const Q3 = monitoringPeriod(2042, "quarter", 3);

async function closed(db: Parameters<typeof findPeriod>[0], period = Q2) {
  const state = await findPeriod(db, period);
  assert.ok(state);
  return closePeriod(db, TEST_ACTOR, { period, version: state.version, confirmMissing: true });
}

describeOnBothDatabases("reopening a closed period", (fresh) => {
  test("an administrator reopens a closed period with a reason; audited, version-checked", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { departmentName: "Roads", plan: { fromYear: 2041, toYear: 2044 } });
    await buildMonitoringYear(db, 2042);
    await buildOpenQuarter(db, 2042, 2);
    const row = await closed(db);
    await assert.rejects(
      reopenPeriod(db, TEST_ACTOR, { period: Q2, version: row.version, reason: "   " }),
      (error: unknown) => error instanceof ValidationFailed && error.errors[0]?.field === "reopen-reason",
    );
    const officer = await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] });
    await assert.rejects(
      reopenPeriod(db, officer.email, { period: Q2, version: row.version, reason: "Late figures" }),
      RoleRequired,
    );
    await assert.rejects(
      reopenPeriod(db, TEST_ACTOR, { period: Q2, version: row.version - 1, reason: "Late figures" }),
      Conflict,
    );
    assert.equal((await findPeriod(db, Q2))?.status, "closed", "nothing changed");

    await reopenPeriod(db, TEST_ACTOR, {
      period: Q2,
      version: row.version,
      reason: "  Late invoice for resurfacing ",
    });
    const reopened = await findPeriod(db, Q2);
    assert.equal(reopened?.status, "open");
    assert.deepEqual(
      [reopened?.reopened?.by, reopened?.reopened?.reason],
      [TEST_ACTOR, "Late invoice for resurfacing"],
    );
    await requireOpenPeriod(db, Q2);
    const [event] = await listAuditEvents(db, "monitoring-period", "2042-43-q2");
    assert.equal(event?.summary, "Reopened Quarter 2 2042/43 for entry: Late invoice for resurfacing");
    await assert.rejects(
      reopenPeriod(db, TEST_ACTOR, { period: Q2, version: reopened?.version ?? 0, reason: "Again" }),
      /already open for entry/,
    );
    // It closes again as before.
    await closed(db);
    assert.equal((await findPeriod(db, Q2))?.status, "closed");
  });

  test("a published period is never reopened", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Roads", plan: { fromYear: 2041, toYear: 2044 } });
    await buildMonitoringYear(db, 2042);
    await buildOpenQuarter(db, 2042, 3);
    const state = await findPeriod(db, Q3);
    const published = await publishPeriod(db, TEST_ACTOR, {
      period: Q3,
      version: state?.version ?? 0,
      confirmMissing: true,
    });
    await assert.rejects(
      reopenPeriod(db, TEST_ACTOR, { period: Q3, version: published.version, reason: "A correction" }),
      (error: unknown) =>
        error instanceof PeriodRefused && /published, so it cannot be reopened/.test(error.message),
    );
    assert.equal((await findPeriod(db, Q3))?.status, "published");
  });

  test("the period page: the reopen form for an administrator, the rule for others, the reason kept", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { departmentName: "Roads", plan: { fromYear: 2041, toYear: 2044 } });
    await buildMonitoringYear(db, 2042);
    await buildOpenQuarter(db, 2042, 2);
    await buildOpenQuarter(db, 2042, 3);
    await closed(db);
    const state = await findPeriod(db, Q3);
    await publishPeriod(db, TEST_ACTOR, { period: Q3, version: state?.version ?? 0, confirmMissing: true });
    const admin = await buildPerson(db, {
      councilId: built.councilId,
      roles: ["administrator"],
      name: "Ada Admin",
    });
    const officer = await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] });
    const config = loadConfig(SIGN_IN_SETTINGS);
    const app = await testApp(db, SIGN_IN_SETTINGS);
    const as = (id: number) => sessionCookieFor(db, config, id);
    const page = "/periods/2042-43/q2";

    const byOfficer = await postWithoutPageForm(app, await as(officer.id), page, `${page}/reopen`, {
      reason: "Late figures",
    });
    assert.equal(byOfficer.statusCode, 403);
    const officerPage = await app.inject({ url: page, headers: { cookie: await as(officer.id) } });
    assert.match(
      officerPage.body,
      /Only an administrator can reopen Quarter 2 2042\/43 for entry, giving a reason/,
    );

    const blank = await postPageForm(app, await as(admin.id), page, `${page}/reopen`, { reason: "" });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /href="#reopen-reason">Enter why the period is being reopened/);
    assert.equal((await findPeriod(db, Q2))?.status, "closed");

    const stale = await app.inject({ url: page, headers: { cookie: await as(admin.id) } });
    const reopened = await postPageForm(app, await as(admin.id), page, `${page}/reopen`, {
      reason: "Late invoice for gritting",
    });
    assert.equal(reopened.statusCode, 303, reopened.body);
    assert.equal((await findPeriod(db, Q2))?.status, "open");
    const shown = await app.inject({ url: page, headers: { cookie: await as(admin.id) } });
    assert.match(shown.body, /Reopened for entry by [^<]+ on [^<]+: Late invoice for gritting/);
    assert.ok(stale.body.includes('action="/periods/2042-43/q2/reopen"'));

    const publishedPage = await app.inject({
      url: "/periods/2042-43/q3",
      headers: { cookie: await as(admin.id) },
    });
    assert.match(
      publishedPage.body,
      /A published period cannot be reopened: its documents are frozen as they were published/,
    );
    assert.ok(!publishedPage.body.includes('action="/periods/2042-43/q3/reopen"'));
    await app.close();
  });
});
