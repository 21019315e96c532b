import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession } from "../../../test/helpers/forms.ts";
import { loadConfig } from "../../config.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import { NotOpenForEntry } from "../../errors.ts";
import { createServices } from "../../services.ts";
import { createApp } from "../../web/app.ts";
import * as plan from "../plan/plan.service.ts";
import { closePeriod, findPeriod, openPeriod, quarterPeriod, requireOpenQuarter } from "./periods.service.ts";

/** Entry is refused for a period that is not open: on a council made up for the test. */
describeOnBothDatabases("entry only for an open period", (fresh) => {
  test("a quarter not opened, open, then closed: refused, allowed, refused saying which", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031);
    await assert.rejects(requireOpenQuarter(db, 2031, 2), (error: unknown) => {
      assert.ok(error instanceof NotOpenForEntry);
      assert.equal(error.opened, false);
      assert.equal(error.message, "Quarter 2 2031/32 has not been opened for entry.");
      assert.equal(error.periodHref, "/periods/2031-32/q2");
      return true;
    });
    await buildOpenQuarter(db, 2031, 2);
    await requireOpenQuarter(db, 2031, 2);
    await assert.rejects(requireOpenQuarter(db, 2031, 3), NotOpenForEntry);
    await assert.rejects(requireOpenQuarter(db, 2032, 2), NotOpenForEntry);
    const state = await findPeriod(db, quarterPeriod(2031, 2));
    await closePeriod(db, TEST_ACTOR, {
      period: quarterPeriod(2031, 2),
      version: state?.version ?? 0,
      confirmMissing: true,
    });
    await assert.rejects(requireOpenQuarter(db, 2031, 2), (error: unknown) => {
      assert.ok(error instanceof NotOpenForEntry);
      assert.equal(error.opened, true);
      assert.equal(error.message, "Quarter 2 2031/32 is closed for entry, not open for entry.");
      return true;
    });
  });

  test("a year monitored monthly: a quarter takes entries while one of its months is open", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { frequency: "monthly", plan: { fromYear: 2031, toYear: 2034 } });
    await buildMonitoringYear(db, 2031, { frequency: "monthly" });
    await assert.rejects(requireOpenQuarter(db, 2031, 1), NotOpenForEntry);
    await openPeriod(db, TEST_ACTOR, monitoringPeriod(2031, "month", 5));
    await requireOpenQuarter(db, 2031, 2);
    await assert.rejects(requireOpenQuarter(db, 2031, 1), NotOpenForEntry);
    await assert.rejects(requireOpenQuarter(db, 2031, 3), NotOpenForEntry);
  });

  test("deliverable progress for a quarter not open is refused with a page saying how to open it, nothing saved", async () => {
    const { db } = await fresh();
    const council = await buildCouncil(db, {
      plan: { fromYear: 2031, toYear: 2034 },
      deliverables: [{ title: "Resurface the high street" }],
    });
    await buildMonitoringYear(db, 2031);
    await buildOpenQuarter(db, 2031, 1);
    const id = council.deliverableIds.get("Resurface the high street");
    assert.ok(id);
    const app = await createApp(createServices(db, loadConfig({ NODE_ENV: "test" })));
    try {
      const { token, cookie } = await formSession(app, `/plan/deliverables/${id}`);
      const post = (quarter: string, version: string) =>
        app.inject({
          method: "POST",
          url: `/plan/deliverables/${id}/progress`,
          payload: new URLSearchParams({
            _csrf: token ?? "",
            version,
            quarter,
            rating: "good",
            narrative: "Works started on time.",
          }).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        });
      const refused = await post("2031-32-q2", "1");
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Quarter 2 2031\/32 is not open for entry/);
      assert.match(refused.body, /Quarter 2 2031\/32 has not been opened for entry\. Nothing was saved\./);
      assert.match(
        refused.body,
        /select &quot;Open for entry&quot; beside it|select "Open for entry" beside it/,
      );
      assert.match(refused.body, /href="\/periods\/2031-32\/q2"/);
      assert.equal((await plan.deliverableDetail(db, id)).progress.length, 0);
      const saved = await post("2031-32-q1", "1");
      assert.equal(saved.statusCode, 303);
      assert.equal((await plan.deliverableDetail(db, id)).progress.length, 1);
      // Closed for entry: refused, saying an administrator can reopen it on the period's page.
      const quarter1 = monitoringPeriod(2031, "quarter", 1);
      const state = await findPeriod(db, quarter1);
      assert.ok(state);
      await closePeriod(db, TEST_ACTOR, { period: quarter1, version: state.version, confirmMissing: true });
      const closed = await post("2031-32-q1", "2");
      assert.match(
        closed.body,
        /Quarter 1 2031\/32 is closed for entry, not open for entry\. Nothing was saved\./,
      );
      assert.match(closed.body, /can be reopened by an administrator, giving a reason/);
      assert.match(closed.body, /href="\/periods\/2031-32\/q1"/);
      assert.equal((await plan.deliverableDetail(db, id)).progress.length, 1);
    } finally {
      await app.close();
    }
  });
});
