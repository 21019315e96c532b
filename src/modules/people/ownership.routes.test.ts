import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { buildPerson, sessionCookieFor } from "../../../test/helpers/people.ts";
import { loadConfig } from "../../config.ts";
import { queryRows } from "../../db/client.ts";

const PRODUCTION = {
  NODE_ENV: "production",
  BASEPLAN_COOKIE_SECRET: "a-cookie-secret-for-the-ownership-route-tests",
  BASEPLAN_SESSION_SECRET: "a-session-secret-for-the-ownership-route-tests",
};

/** Opens the deliverable's page as the person and sends its progress form with the fields given. */
async function sendProgress(
  app: FastifyInstance,
  cookie: string,
  id: number,
  fields: Record<string, string>,
) {
  const page = await app.inject({ url: `/plan/deliverables/${id}`, headers: { cookie } });
  assert.equal(page.statusCode, 200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? "";
  const quarter = /<option value="([^"]+)"[^>]*>Quarter 2 2030\/31/.exec(page.body)?.[1] ?? "";
  const cookies = [cookie, ...page.cookies.map((c) => `${c.name}=${c.value}`)].join("; ");
  return app.inject({
    method: "POST",
    url: `/plan/deliverables/${id}/progress`,
    payload: new URLSearchParams({ _csrf: token, version, quarter, rating: "good", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
  });
}

describeOnBothDatabases("owners limited to what they own, through the pages", (fresh) => {
  test("an owner's progress form saves for their deliverable; for another the 403 page says why and nothing changes", async () => {
    const { db } = await fresh();
    const built = await buildCouncil(db, {
      deliverables: [
        { title: "Open a new library", leadOfficers: [{ name: "Kit Marlowe", qualifier: null }] },
        { title: "Close the old depot", leadAsWritten: "Head of Property" },
      ],
    });
    await buildMonitoringYear(db, 2030);
    await buildOpenQuarter(db, 2030, 2);
    const owner = await buildPerson(db, {
      councilId: built.councilId,
      roles: ["owner"],
      name: "Kit Marlowe",
    });
    const app = await testApp(db, PRODUCTION);
    const cookie = await sessionCookieFor(db, loadConfig(PRODUCTION), owner.id);
    const own = idOf(built.deliverableIds, "Open a new library");
    const other = idOf(built.deliverableIds, "Close the old depot");

    const saved = await sendProgress(app, cookie, own, { narrative: "The lease is signed." });
    assert.equal(saved.statusCode, 303, saved.body);

    const refused = await sendProgress(app, cookie, other, { narrative: "Not mine to write." });
    assert.equal(refused.statusCode, 403);
    assert.match(
      refused.body,
      /You are not a lead officer of this deliverable \(it names Head of Property\)/,
    );
    assert.match(refused.body, /This is not yours to update/);
    assert.match(refused.body, /Nothing was saved/);
    assert.doesNotMatch(refused.body, /at .*\.ts:\d+/, "no stack trace");

    const blank = await sendProgress(app, cookie, own, { narrative: "" });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Enter the progress narrative/);

    const noToken = await app.inject({
      method: "POST",
      url: `/plan/deliverables/${own}/progress`,
      payload: "narrative=forged&rating=good",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(noToken.statusCode, 403);

    const rows = await queryRows<{ deliverable_id: number; narrative: string }>(
      db,
      sql`select deliverable_id, narrative from deliverable_progress order by id`,
    );
    assert.deepEqual(
      rows.map((row) => [Number(row.deliverable_id), row.narrative]),
      [[own, "The lease is signed."]],
    );
    await app.close();
  });
});
