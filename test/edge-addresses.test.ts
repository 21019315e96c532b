import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "./helpers/app.ts";
import { buildCouncil } from "./helpers/builders.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";
import { formSession } from "./helpers/forms.ts";

/** Addresses and values that were 500s: each is now a 404 or a form error, never a database error. */
describeOnBothDatabases("addresses and values no record holds", (fresh) => {
  test("a NUL byte, an id beyond 2^31 or a year the calendar cannot hold is a page that does not exist", async () => {
    const database = await fresh();
    await buildCouncil(database.db);
    const app = await testApp(database.db);
    const expected: [string, number][] = [
      ["/procurement/%00", 404],
      ["/procurement/%00/edit", 404],
      ["/procurement/pipeline/0000.json", 404],
      ["/procurement/pipeline/9999.json", 404],
      ["/procurement/pipeline/9999.csv", 404],
      ["/procurement/pipeline?year=0000", 200],
      ["/procurement/pipeline?year=9999", 200],
      ["/budget/lines/2147483648", 404],
      ["/budget/lines/99999999999999999999/forecasts/q3/edit", 404],
      ["/budget/savings/initiatives/2147483648/forecasts/q3/edit", 404],
    ];
    const answered = [];
    for (const [url] of expected) answered.push([url, (await app.inject(url)).statusCode]);
    assert.deepEqual(answered, expected);
    await app.close();
  });

  test("a 3,000-character group title in a pasted table is a field error", async () => {
    const database = await fresh();
    await buildCouncil(database.db);
    const app = await testApp(database.db);
    const { token, cookie } = await formSession(app, "/measures/import");
    const form = new URLSearchParams({
      _csrf: token ?? "",
      table: "Measure\tTarget\nA made-up measure\t95%",
      document: "a-made-up-plan",
      groupKind: "theme",
      groupTitle: "t".repeat(3000),
      action: "save",
    });
    const response = await app.inject({
      method: "POST",
      url: "/measures/import",
      payload: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /href="#groupTitle"/);
    assert.match(response.body, /500 characters or fewer/);
    await app.close();
  });
});
