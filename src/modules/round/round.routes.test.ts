import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { postPageForm as postForm } from "../../../test/helpers/forms.ts";
import { buildPerson, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { recordProgress } from "../plan/plan.service.ts";
import { periodRound } from "./round.service.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-round-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-round-route-tests",
};

describeOnBothDatabases("the update round's pages", (fresh) => {
  test("an owner submits from My updates; a reviewer must comment to return it; bad input changes nothing", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      plan: { fromYear: 2032, toYear: 2034 },
      deliverables: [{ title: "Reopen the lido", leadOfficers: [{ name: "Ari Quinn", qualifier: null }] }],
    });
    await buildMonitoringYear(db, 2032);
    await buildOpenQuarter(db, 2032, 1);
    const id = idOf(built.deliverableIds, "Reopen the lido");
    const owner = await buildPerson(db, { councilId: built.councilId, roles: ["owner"], name: "Ari Quinn" });
    const reviewer = await buildPerson(db, { councilId: built.councilId, roles: ["performance-officer"] });
    const config = loadConfig(PRODUCTION);
    const app = await testApp(db, PRODUCTION);
    const asOwner = await sessionCookieFor(db, config, owner.id);
    const asReviewer = await sessionCookieFor(db, config, reviewer.id);
    const state = async () =>
      (await periodRound(db, monitoringPeriod(2032, "quarter", 1))).items[0]?.stateWords;

    const mine = await app.inject({ url: "/my-updates", headers: { cookie: asOwner } });
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /Deliverable: Reopen the lido/);
    assert.match(mine.body, /Not started/);
    assert.match(mine.body, new RegExp(`href="/plan/deliverables/${id}#record-progress"`));

    await recordProgress(db, owner.email, {
      deliverableId: id,
      version: 1,
      progress: {
        quarter: { financialYear: "2032/33", quarter: 1 },
        rating: "good",
        narrative: "Pool refilled.",
      },
    });
    const action = `/periods/2032-33/q1/round/deliverable/${id}`;
    const submitted = await postForm(app, asOwner, "/my-updates", `${action}/submit`, { from: "my-updates" });
    assert.equal(submitted.statusCode, 303, submitted.body);
    assert.equal(submitted.headers.location, "/my-updates");
    assert.equal(await state(), "Submitted");

    const ownerApproves = await app.inject({
      method: "POST",
      url: `${action}/approve`,
      headers: { cookie: asOwner, "content-type": "application/x-www-form-urlencoded" },
      payload: "version=1",
    });
    assert.equal(ownerApproves.statusCode, 403);

    const page = "/periods/2032-33/q1/round";
    const noComment = await postForm(app, asReviewer, page, `${action}/return`, { comment: "" });
    assert.equal(noComment.statusCode, 400);
    assert.match(noComment.body, /Enter a comment saying what the owner needs to change/);
    assert.match(noComment.body, new RegExp(`href="#comment-deliverable-${id}"`));
    assert.equal(await state(), "Submitted");

    const forged = await app.inject({
      method: "POST",
      url: `${action}/return`,
      headers: { cookie: asReviewer, "content-type": "application/x-www-form-urlencoded" },
      payload: "version=1&comment=forged",
    });
    assert.equal(forged.statusCode, 403);
    assert.equal(await state(), "Submitted");

    const stale = await postForm(app, asReviewer, page, `${action}/approve`, { version: "7" });
    assert.equal(stale.statusCode, 409);
    assert.equal(await state(), "Submitted");

    const returned = await postForm(app, asReviewer, page, `${action}/return`, {
      comment: "Add the opening date.",
    });
    assert.equal(returned.statusCode, 303);
    assert.equal(await state(), "Returned");
    const again = await app.inject({ url: "/my-updates", headers: { cookie: asOwner } });
    assert.match(again.body, /Reviewer’s comment: Add the opening date\./);
    await app.close();
  });
});
