import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "./helpers/app.ts";
import { buildSetUpCouncil } from "./helpers/builders.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";
import { formSession } from "./helpers/forms.ts";

/** Text an officer typed that a spreadsheet would run leaves every CSV export as inert text. */
describeOnBothDatabases("CSV exports", (fresh) => {
  test("a title or department starting with =, +, - or @ is neutralised in every CSV", async () => {
    const database = await fresh();
    await buildSetUpCouncil(database.db);
    const app = await testApp(database.db);
    const { token, cookie } = await formSession(app, "/procurement/new");
    // Advertised for the Transparency Code list, planned for the pipeline notice.
    for (const status of ["advertised", "planned"]) {
      const form = new URLSearchParams({
        _csrf: token ?? "",
        title: '=HYPERLINK("http://example.invalid","Open")',
        description: "+1+2",
        estimatedValue: "£2,500,000",
        "estimatedStartDate-day": "1",
        "estimatedStartDate-month": "6",
        "estimatedStartDate-year": "2031",
        category: "services",
        department: "@SUM(A1:A9)",
        division: "-2+3",
        status,
      });
      const created = await app.inject({
        method: "POST",
        url: "/procurement/new",
        payload: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      });
      assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    }
    for (const url of [
      "/procurement/forward-plan.csv",
      "/procurement/invitations-to-tender.csv",
      "/procurement/pipeline/2030.csv",
    ]) {
      const csv = (await app.inject(url)).body;
      assert.match(csv, /"'=HYPERLINK\(""http:\/\/example.invalid"",""Open""\)"/, url);
      for (const line of csv.split("\r\n")) {
        for (const cell of line.split(","))
          assert.doesNotMatch(cell, /^"?[=+@]|^"?-[^0-9]/, `${url}: ${cell}`);
      }
    }
    await app.close();
  });
});
