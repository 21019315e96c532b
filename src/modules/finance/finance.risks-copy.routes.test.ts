import assert from "node:assert/strict";
import { test } from "node:test";
import { eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import {
  buildCouncil,
  buildMonitoringYear,
  buildMonthlyCouncil,
  buildOpenQuarter,
} from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { postForm } from "../../../test/helpers/forms.ts";
import type { Database } from "../../db/client.ts";
import { auditEvents } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { closePeriod, findPeriod } from "../periods/periods.service.ts";
import * as finance from "./finance.service.ts";

// A made-up council monitored monthly: month 1's financial risks are entered, and month 2's list
// is started from them with one form on month 2's risks page.
const YEAR = 2053;
const CODE = "2053-54";
/** A page whose form gives the session and its token for each post. */
const FORM_PAGE = `/budget/${CODE}/m1/risks/new`;

/** The risks of one month: service, risk, sensitivity in pence and likelihood, in order. */
async function risksOf(db: Database, month: number) {
  const { risks } = await finance.financialRisksReport(db, CODE, Math.ceil(month / 3), month);
  return risks.map((risk) => [risk.service, risk.risk, risk.sensitivityPence, risk.likelihood]);
}

/** The copy form's hidden version on a month's risks page, or null when the page offers no copy. */
async function copyVersion(app: FastifyInstance, month: number): Promise<string | null> {
  const page = await app.inject(`/budget/${CODE}/m${month}/risks`);
  assert.equal(page.statusCode, 200);
  return /name="sourceVersion" value="([^"]*)"/.exec(page.body)?.[1] ?? null;
}

describeOnBothDatabases("a month's financial risks started from the month before's", (fresh) => {
  test("copied once into an open month with none, version-checked against the month before, audited", async () => {
    const { db } = await fresh();
    await buildMonthlyCouncil(db, { startYear: YEAR, openMonths: [1, 2, 3] });
    const app = await testApp(db);
    try {
      const add = (month: number, service: string, risk: string, sensitivity: string, likelihood: string) => {
        const path = `/budget/${CODE}/m${month}/risks/new`;
        return postForm(app, path, path, { service, risk, sensitivity, likelihood });
      };
      // Month 1 has nothing before it in the year: no copy offered.
      assert.equal(await copyVersion(app, 1), null);
      assert.equal((await add(1, "Ferries", "Fuel prices", "£250,000", "3")).statusCode, 303);
      assert.equal((await add(1, "Harbour", "Storm damage", "£1.2m", "2")).statusCode, 303);

      // Month 2's page offers the copy; month 1's list changes after the page was opened: refused.
      const stale = await copyVersion(app, 2);
      assert.ok(stale, "month 2's page offers month 1's risks");
      assert.match((await app.inject(`/budget/${CODE}/m2/risks`)).body, /Copy last month(&#39;|')s risks/);
      assert.equal((await add(1, "Ferries", "Crew shortage", "£40,000", "4")).statusCode, 303);
      const refused = await postForm(app, FORM_PAGE, `/budget/${CODE}/m2/risks/copy`, {
        sourceVersion: stale,
      });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Crew shortage/);
      assert.deepEqual(await risksOf(db, 2), []);
      // A form with no version is refused the same way.
      const blank = await postForm(app, FORM_PAGE, `/budget/${CODE}/m2/risks/copy`, {});
      assert.equal(blank.statusCode, 409);
      assert.deepEqual(await risksOf(db, 2), []);

      // Copied as they stand, in order, as month 2's own rows; month 1's untouched.
      const fresh2 = await copyVersion(app, 2);
      assert.ok(fresh2);
      const copied = await postForm(app, FORM_PAGE, `/budget/${CODE}/m2/risks/copy`, {
        sourceVersion: fresh2,
      });
      assert.equal(copied.statusCode, 303);
      assert.equal(copied.headers.location, `/budget/${CODE}/m2/risks`);
      const month1 = [
        ["Ferries", "Fuel prices", 250_000_00, 3],
        ["Harbour", "Storm damage", 1_200_000_00, 2],
        ["Ferries", "Crew shortage", 40_000_00, 4],
      ];
      assert.deepEqual(await risksOf(db, 2), month1);
      assert.deepEqual(await risksOf(db, 1), month1);
      const banner = await app.inject({
        url: `/budget/${CODE}/m2/risks`,
        headers: {
          cookie: [copied.headers["set-cookie"] ?? []]
            .flat()
            .map((cookie) => String(cookie).split(";")[0])
            .join("; "),
        },
      });
      assert.match(banner.body, /3 financial risks were copied from month 1 2053\/54/);
      assert.equal(await copyVersion(app, 2), null, "a month with risks is offered no copy");

      // A second copy (another tab): refused, nothing doubled.
      const again = await postForm(app, FORM_PAGE, `/budget/${CODE}/m2/risks/copy`, {
        sourceVersion: fresh2,
      });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /month 2 2053\/54 financial risks have already been started \(3 entered\)/);
      assert.equal((await risksOf(db, 2)).length, 3);

      // Each copy audited with month 2 and where it came from.
      const events = await db.select().from(auditEvents).where(eq(auditEvents.entityType, "financial-risk"));
      const copies = events.filter((event) => event.summary.startsWith("Copied"));
      assert.equal(copies.length, 3);
      assert.deepEqual(
        copies.map((event) => event.period),
        ["2053-54-m2", "2053-54-m2", "2053-54-m2"],
      );
      assert.ok(copies.every((event) => event.actor === copies[0]?.actor && event.actor !== ""));
      assert.match(
        copies[0]?.summary ?? "",
        /Copied a month 1 2053\/54 financial risk for Ferries to month 2 2053\/54/,
      );

      // Month 4 not opened, and month 3 once closed: refused, nothing copied.
      const notOpen = await postForm(app, FORM_PAGE, `/budget/${CODE}/m4/risks/copy`, {
        sourceVersion: "none",
      });
      assert.equal(notOpen.statusCode, 409);
      assert.match(notOpen.body, /has not been opened for entry/);
      const month3 = monitoringPeriod(YEAR, "month", 3);
      const version3 = await copyVersion(app, 3);
      assert.ok(version3);
      await closePeriod(db, TEST_ACTOR, {
        period: month3,
        version: (await findPeriod(db, month3))?.version ?? 0,
        confirmMissing: true,
      });
      assert.equal(await copyVersion(app, 3), null, "a closed month is offered no copy");
      const closed = await postForm(app, FORM_PAGE, `/budget/${CODE}/m3/risks/copy`, {
        sourceVersion: version3,
      });
      assert.equal(closed.statusCode, 409);
      assert.deepEqual(await risksOf(db, 3), []);
    } finally {
      await app.close();
    }
  });

  test("a quarter's list is not copied: the form is a month's", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: YEAR - 1, toYear: YEAR + 2 } });
    await buildMonitoringYear(db, YEAR);
    await buildOpenQuarter(db, YEAR, 2);
    const app = await testApp(db);
    try {
      const page = await app.inject(`/budget/${CODE}/q2/risks`);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /copy-risks-form/);
      const refused = await postForm(app, `/budget/${CODE}/q2/risks/new`, `/budget/${CODE}/q2/risks/copy`, {
        sourceVersion: "none",
      });
      assert.equal(refused.statusCode, 404);
    } finally {
      await app.close();
    }
  });
});
