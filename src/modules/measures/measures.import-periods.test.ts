import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { testApp } from "../../../test/helpers/app.ts";
import { buildCouncil, buildMonitoringYear, buildOpenQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { formSession, multipart } from "../../../test/helpers/forms.ts";
import { measureValues } from "../../db/schema/index.ts";
import { monitoringPeriod } from "../../domain/periods.ts";
import {
  closePeriod,
  findPeriod,
  publishPeriod,
  signOffPeriod,
  unlockPeriod,
} from "../periods/periods.service.ts";

const HEADER = "Indicator\tDescription\tLast quarter\tThis quarter\tTarget";

/** A council's quarterly table for quarter 2 of 2032/33: last quarter (1) and this quarter (2). */
function table(last: string, current: string): string {
  return [HEADER, `LV1\tLibrary visits\t${last}\t${current}\t1000 or more`].join("\n");
}

async function paste(app: FastifyInstance, text: string) {
  const { token, cookie } = await formSession(app, "/measures/import");
  return app.inject({
    method: "POST",
    url: "/measures/import",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({
      _csrf: token ?? "",
      document: "Libraries quarterly report",
      groupKind: "report",
      groupTitle: "Library measures",
      reportingPeriod: "Q2 2032/33",
      table: text,
      action: "save",
    }).toString(),
  });
}

function words(body: string): string {
  return body.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&");
}

describeOnBothDatabases("imported measure values and the period's state", (fresh) => {
  test("a pasted or uploaded value for a period closed, published or signed off is refused, naming it; nothing is saved", async () => {
    const { db } = await fresh();
    await buildCouncil(db, { departmentName: "Libraries", plan: { fromYear: 2032 } });
    await buildMonitoringYear(db, 2032);
    await buildOpenQuarter(db, 2032, 1);
    await buildOpenQuarter(db, 2032, 2);
    const Q1 = monitoringPeriod(2032, "quarter", 1);
    const Q2 = monitoringPeriod(2032, "quarter", 2);
    const app = await testApp(db);
    const valueCount = async () => (await db.select().from(measureValues)).length;
    const currentTexts = async () =>
      (await db.select().from(measureValues))
        .filter((value) => value.current)
        .map((value) => value.cellText)
        .sort();

    // Both quarters open: the table is saved.
    const first = await paste(app, table("1200", "1300"));
    assert.equal(first.statusCode, 303, first.body);
    assert.deepEqual(await currentTexts(), ["1200", "1300"]);

    // Quarter 1 is published: the same table with this quarter changed is still saved, since its
    // quarter 1 cell repeats what is saved.
    const q1 = await findPeriod(db, Q1);
    assert.ok(q1);
    await publishPeriod(db, TEST_ACTOR, { period: Q1, version: q1.version, confirmMissing: true });
    const again = await paste(app, table("1200", "1350"));
    assert.equal(again.statusCode, 303, again.body);
    assert.deepEqual(await currentTexts(), ["1200", "1350"]);

    // A changed quarter 1 value is refused, naming the row, column, value and state; the quarter 2
    // change in the same table is not saved either.
    const before = await valueCount();
    const published = await paste(app, table("1250", "1400"));
    assert.equal(published.statusCode, 400);
    assert.match(
      words(published.body),
      /Row \d+ \("Library visits"\), column "Last quarter", "1250": Quarter 1 2032\/33 is published, so nothing can be imported for it/,
    );
    assert.doesNotMatch(words(published.body), /"1400": Quarter 2/);
    assert.equal(await valueCount(), before);
    assert.deepEqual(await currentTexts(), ["1200", "1350"]);

    // Quarter 2 signed off: refused as locked.
    const q2 = await findPeriod(db, Q2);
    assert.ok(q2);
    await signOffPeriod(db, TEST_ACTOR, { period: Q2, version: q2.version });
    const locked = await paste(app, table("1200", "1400"));
    assert.equal(locked.statusCode, 400);
    assert.match(
      words(locked.body),
      /column "This quarter", "1400": Quarter 2 2032\/33 is signed off and locked/,
    );
    assert.equal(await valueCount(), before);

    // Unlocked and closed for entry: refused as closed.
    const signed = await findPeriod(db, Q2);
    assert.ok(signed);
    await unlockPeriod(db, TEST_ACTOR, { period: Q2, version: signed.version, reason: "A test" });
    const unlocked = await findPeriod(db, Q2);
    assert.ok(unlocked);
    await closePeriod(db, TEST_ACTOR, { period: Q2, version: unlocked.version, confirmMissing: true });
    const closed = await paste(app, table("1200", "1400"));
    assert.equal(closed.statusCode, 400);
    assert.match(words(closed.body), /"1400": Quarter 2 2032\/33 is closed for entry/);
    assert.equal(await valueCount(), before);

    // An uploaded file's dry run shows the same refusal.
    const { token, cookie } = await formSession(app, "/measures/upload");
    const csv = [
      "Indicator,Description,Last quarter,This quarter,Target",
      "LV1,Library visits,1200,1400,1000 or more",
    ].join("\n");
    const form = multipart(
      {
        _csrf: token ?? "",
        document: "Libraries quarterly report",
        groupKind: "report",
        groupTitle: "Library measures",
        reportingPeriod: "Q2 2032/33",
      },
      { name: "library-measures.csv", bytes: Buffer.from(csv, "utf8") },
    );
    const uploaded = await app.inject({
      method: "POST",
      url: "/measures/upload",
      headers: { cookie, "content-type": form.contentType },
      payload: form.payload,
    });
    assert.equal(uploaded.statusCode, 400, uploaded.body.slice(0, 500));
    assert.match(words(uploaded.body), /"1400": Quarter 2 2032\/33 is closed for entry/);
    assert.equal(await valueCount(), before);
    await app.close();
  });
});
