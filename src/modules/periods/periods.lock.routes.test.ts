import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildMeasure,
  buildMonitoringYear,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { postPageForm, postWithoutPageForm } from "../../../test/helpers/forms.ts";
import { buildPerson, SIGN_IN_SETTINGS, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { findPeriod } from "./periods.service.ts";

describeOnBothDatabases("the sign-off and unlock pages", (fresh) => {
  test("an approver signs off; an owner's entry gets the locked page; an administrator must give a reason to unlock", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { departmentName: "Parks" });
    await buildMonitoringYear(db, 2035);
    await buildOpenQuarter(db, 2035, 4);
    const measure = await buildMeasure(db, {
      title: "Trees planted",
      unit: "count",
      frequency: "quarterly",
      owner: "Kit Forester",
    });
    const owner = await buildPerson(db, {
      councilId: built.councilId,
      roles: ["owner"],
      name: "Kit Forester",
    });
    const approver = await buildPerson(db, { councilId: built.councilId, roles: ["approver"] });
    const officer = await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] });
    await buildPerson(db, { councilId: built.councilId, roles: ["administrator"], name: "Mo Admin" });
    const admin = await buildPerson(db, {
      councilId: built.councilId,
      roles: ["administrator"],
      name: "Lee Admin",
    });
    const config = loadConfig(SIGN_IN_SETTINGS);
    const app = await testApp(db, SIGN_IN_SETTINGS);
    const as = (id: number) => sessionCookieFor(db, config, id);
    const page = "/periods/2035-36/q4";
    const Q4 = monitoringPeriod(2035, "quarter", 4);

    const officerSignsOff = await postWithoutPageForm(
      app,
      await as(officer.id),
      page,
      `${page}/sign-off`,
      {},
    );
    assert.equal(officerSignsOff.statusCode, 403, "a performance officer does not sign off");
    assert.equal((await findPeriod(db, Q4))?.locked, false);

    const signed = await postPageForm(app, await as(approver.id), page, `${page}/sign-off`, {});
    assert.equal(signed.statusCode, 303, signed.body);
    const shown = await app.inject({ url: page, headers: { cookie: await as(approver.id) } });
    assert.match(shown.body, /Signed off and locked\./);
    assert.doesNotMatch(shown.body, /action="\/periods\/2035-36\/q4\/sign-off"/);

    const ownerCookie = await as(owner.id);
    const enterValue = () =>
      postPageForm(
        app,
        ownerCookie,
        `/measures/${measure.id}/values/new?period=2035-36-q4`,
        `/measures/${measure.id}/values/new`,
        { period: "2035-36-q4", value: "300", status: "final", replacing: "none" },
      );
    const entry = await enterValue();
    assert.equal(entry.statusCode, 403, entry.body);
    assert.match(entry.body, /Quarter 4 2035\/36 is signed off and locked/);
    assert.match(
      entry.body,
      /Only an administrator can unlock it, giving a reason: (Mo Admin, Lee Admin|Lee Admin, Mo Admin)\./,
    );
    assert.match(entry.body, /Nothing was saved\./);

    const adminCookie = await as(admin.id);
    const approverUnlocks = await postWithoutPageForm(app, await as(approver.id), page, `${page}/unlock`, {
      reason: "Late",
    });
    assert.equal(approverUnlocks.statusCode, 403);
    const noReason = await postPageForm(app, adminCookie, page, `${page}/unlock`, { reason: "  " });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Enter why the period is being unlocked/);
    assert.match(noReason.body, /href="#reason"/);
    assert.equal((await findPeriod(db, Q4))?.locked, true, "nothing changed");
    const unlocked = await postPageForm(app, adminCookie, page, `${page}/unlock`, {
      reason: "A late tree count",
    });
    assert.equal(unlocked.statusCode, 303, unlocked.body);
    assert.equal((await findPeriod(db, Q4))?.locked, false);
    const history = await app.inject({ url: "/audit", headers: { cookie: adminCookie } });
    assert.match(history.body, /A late tree count/);

    const again = await enterValue();
    assert.equal(again.statusCode, 303, again.body);
    await app.close();
  });

  test("the period page shows the sign-off, unlock and status forms only to people whose roles can use them", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, { departmentName: "Libraries" });
    await buildMonitoringYear(db, 2036);
    await buildOpenQuarter(db, 2036, 1);
    const people = {
      viewer: await buildPerson(db, { councilId: built.councilId, roles: ["viewer"] }),
      owner: await buildPerson(db, { councilId: built.councilId, roles: ["owner"] }),
      officer: await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] }),
      approver: await buildPerson(db, { councilId: built.councilId, roles: ["approver"] }),
      admin: await buildPerson(db, { councilId: built.councilId, roles: ["administrator"] }),
    };
    const config = loadConfig(SIGN_IN_SETTINGS);
    const app = await testApp(db, SIGN_IN_SETTINGS);
    const page = "/periods/2036-37/q1";
    const view = async (id: number) =>
      (await app.inject({ url: page, headers: { cookie: await sessionCookieFor(db, config, id) } })).body;
    const has = (body: string, form: string) => body.includes(`action="${page}/${form}"`);

    for (const who of ["viewer", "owner", "officer"] as const) {
      const body = await view(people[who].id);
      assert.ok(!has(body, "sign-off"), `${who} is not shown the sign-off form`);
      assert.match(body, /has not been signed off yet/, who);
    }
    for (const who of ["approver", "admin"] as const) {
      assert.ok(has(await view(people[who].id), "sign-off"), `${who} is shown the sign-off form`);
    }
    for (const who of ["viewer", "owner", "approver"] as const) {
      const body = await view(people[who].id);
      assert.ok(!has(body, "close") && !has(body, "publish"), `${who} is not shown close or publish`);
      assert.match(body, /is open for entry\. A performance officer or an administrator closes it/, who);
    }
    assert.ok(has(await view(people.officer.id), "publish"), "a performance officer is shown publish");

    const opened = await app.inject({
      url: page,
      headers: { cookie: await sessionCookieFor(db, config, people.approver.id) },
    });
    assert.equal(opened.statusCode, 200);
    const signed = await postPageForm(
      app,
      await sessionCookieFor(db, config, people.approver.id),
      page,
      `${page}/sign-off`,
      {},
    );
    assert.equal(signed.statusCode, 303, signed.body);
    for (const who of ["viewer", "owner", "officer", "approver"] as const) {
      const body = await view(people[who].id);
      assert.ok(!has(body, "unlock"), `${who} is not shown the unlock form`);
      assert.match(body, /Signed off and locked\./, who);
      assert.match(body, /Only an administrator can unlock Quarter 1 2036\/37, giving a reason\./, who);
    }
    assert.ok(has(await view(people.admin.id), "unlock"), "an administrator is shown the unlock form");
    await app.close();
  });
});
