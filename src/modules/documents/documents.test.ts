import assert from "node:assert/strict";
import { test } from "node:test";
import { testApp } from "../../../test/helpers/app.ts";
import { describeOnBothDatabases } from "../../../test/helpers/database.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { documentTitles } from "./documents.service.ts";

describeOnBothDatabases("source documents", (fresh) => {
  test("the demo registers the three seed documents, audited", async () => {
    const { db } = await fresh({ demo: true });
    const titles = await documentTitles(db);
    assert.deepEqual(Object.keys(titles).sort(), [
      "quarterly-report-2020-21-q3",
      "service-plan-2021-2025",
      "service-plan-2024-25",
    ]);
    assert.equal((await listAuditEvents(db, "source-document", "service-plan-2021-2025")).length, 1);
  });

  test("pages name a document by its title, not its slug", async () => {
    const { db } = await fresh({ demo: true });
    const app = await testApp(db);
    const page = await app.inject("/measures");
    assert.match(
      page.body,
      /<h2 class="govuk-heading-l">Children&#39;s Services Service Plan 2021-2025<\/h2>/,
    );
    assert.doesNotMatch(page.body, /<h2 class="govuk-heading-l">service-plan-2021-2025<\/h2>/);
    await app.close();
  });
});
