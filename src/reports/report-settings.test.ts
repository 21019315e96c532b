import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { describeOnBothDatabases, TEST_ACTOR } from "../../test/helpers/database.ts";
import { listAuditEvents } from "../modules/audit/audit.service.ts";
import {
  QUARTERLY_SETTINGS_KEY,
  quarterlyReportSettings,
  quarterlySettingsSchema,
  saveQuarterlyReportSettings,
} from "./report-settings.ts";

const demoFile = new URL("../../data/demo/reports/quarterly-2020-21-q3.json", import.meta.url);
const seedFile = new URL("../../test/fixtures/", import.meta.url);

test("the demo settings file is valid, and its standard paragraphs are the seed's words", () => {
  const settings = quarterlySettingsSchema.parse(JSON.parse(readFileSync(demoFile, "utf8")));
  assert.equal(settings.committee, "Cabinet Member for Young People");
  assert.deepEqual(
    settings.closingSections.map((section) => `${section.number}. ${section.title}`),
    [
      "3. Financial Considerations",
      "4. Other Considerations",
      "5. Key Decision",
      "6. Call-In",
      "7. Background Papers",
      "8. Officer Recommendations",
    ],
  );
  // No figure is written into a template: they are filled from the services.
  for (const template of [settings.paragraphs.overviewBudget, ...settings.paragraphs.budgetForecast]) {
    assert.doesNotMatch(template, /£\d/);
  }
  const flat = seedText().replace(/\s+/g, " ");
  for (const section of settings.closingSections) {
    for (const paragraph of section.paragraphs) assert.ok(flat.includes(paragraph), paragraph);
  }
  const quarter = settings.quarters["2020-21-q3"];
  assert.ok(quarter);
  assert.ok(flat.includes(quarter.purpose));
  for (const item of quarter.keyAreas.consideration) assert.ok(flat.includes(item.slice(0, 80)), item);
});

/** The seed report, from the committed copy in test/fixtures. */
function seedText(): string {
  return readFileSync(new URL("seeds/quarterly-monitoring-2020-21-q3.txt", seedFile), "utf8");
}

describeOnBothDatabases("report settings", (fresh) => {
  test("the demo loads them into the settings table, audited, and they read back", async () => {
    const { db } = await fresh({ demo: true });
    const settings = await quarterlyReportSettings(db);
    assert.equal(settings?.councilName, "Derbyshire County Council");
    assert.equal(settings?.signatories.length, 2);
    const events = await listAuditEvents(db, "setting", QUARTERLY_SETTINGS_KEY);
    assert.equal(events.length, 1);
  });

  test("saving again records the change; a malformed value is refused", async () => {
    const { db } = await fresh({ demo: true });
    const settings = await quarterlyReportSettings(db);
    assert.ok(settings);
    await saveQuarterlyReportSettings(db, TEST_ACTOR, {
      ...settings,
      meetingRoom: undefined,
      committee: "Cabinet",
    });
    assert.equal((await quarterlyReportSettings(db))?.committee, "Cabinet");
    assert.equal((await listAuditEvents(db, "setting", QUARTERLY_SETTINGS_KEY)).length, 2);
    await assert.rejects(saveQuarterlyReportSettings(db, TEST_ACTOR, { key: QUARTERLY_SETTINGS_KEY }));
  });
});
