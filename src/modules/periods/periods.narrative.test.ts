import assert from "node:assert/strict";
import { test } from "node:test";
import { buildRecordedQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { Conflict, NotOpenForEntry } from "../../errors.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import { EMPTY_NARRATIVE, reportNarrative, saveReportNarrative } from "./periods.narrative.ts";
import { narrativeForm } from "./periods.schemas.ts";
import { closePeriod, findPeriod } from "./periods.service.ts";

const WRITTEN = {
  ...EMPTY_NARRATIVE,
  purpose: "To report quarter 4 performance and the forecast outturn.",
  overview: "Most deliverables are on track.",
  keySuccess: "Potholes repaired faster\nHigh street finished",
  varianceExplanations: "Highways maintenance is over budget after the winter.",
  recommendations: "That the committee notes the report.",
};

describeOnBothDatabases("a period's report narrative", (fresh) => {
  test("written, changed and audited; the report uses it in its sections", async () => {
    const { db } = await fresh();
    const { period } = await buildRecordedQuarter(db, { startYear: 2030, quarter: 4 });
    assert.equal(await reportNarrative(db, period), null);
    const first = await saveReportNarrative(db, TEST_ACTOR, {
      period,
      version: 0,
      text: WRITTEN,
      returnUrl: "/back",
    });
    assert.equal(first.version, 1);
    const changed = await saveReportNarrative(db, TEST_ACTOR, {
      period,
      version: 1,
      text: { ...WRITTEN, overview: "Every deliverable is on track." },
      returnUrl: "/back",
    });
    assert.equal(changed.version, 2);
    assert.equal((await reportNarrative(db, period))?.overview, "Every deliverable is on track.");
    const events = await listAuditEvents(db, "report-narrative", "2030-31-q4");
    assert.equal(events.length, 2);

    const report = await quarterlyReport(db, "2030-31", 4);
    const texts = report.sections.flatMap((section) =>
      section.blocks.flatMap((block) =>
        block.kind === "paragraph" ? [block.text] : block.kind === "list" ? block.items : [],
      ),
    );
    for (const expected of [
      WRITTEN.purpose,
      WRITTEN.varianceExplanations,
      WRITTEN.recommendations,
      "Potholes repaired faster",
      "High street finished",
    ]) {
      assert.ok(texts.includes(expected), expected);
    }
    assert.ok(texts.some((text) => text.startsWith("Every deliverable is on track.")));
    assert.ok(report.sections.some((section) => section.title === "3. Officer Recommendations"));
  });

  test("a stale form is refused with both versions, nothing overwritten", async () => {
    const { db } = await fresh();
    const { period } = await buildRecordedQuarter(db, { startYear: 2030, quarter: 4 });
    await saveReportNarrative(db, TEST_ACTOR, { period, version: 0, text: WRITTEN, returnUrl: "/back" });
    // A second person who opened the empty form before the first saved.
    await assert.rejects(
      saveReportNarrative(db, "second.officer@example.test", {
        period,
        version: 0,
        text: { ...WRITTEN, purpose: "Another purpose." },
        returnUrl: "/back",
      }),
      (error: unknown) => {
        assert.ok(error instanceof Conflict);
        assert.deepEqual(error.fields, [
          { label: "Purpose of the report", saved: WRITTEN.purpose, submitted: "Another purpose." },
        ]);
        return true;
      },
    );
    await saveReportNarrative(db, TEST_ACTOR, {
      period,
      version: 1,
      text: { ...WRITTEN, keyNote: "Winter costs" },
      returnUrl: "/back",
    });
    await assert.rejects(
      saveReportNarrative(db, TEST_ACTOR, { period, version: 1, text: WRITTEN, returnUrl: "/back" }),
      Conflict,
    );
    assert.equal((await reportNarrative(db, period))?.keyNote, "Winter costs");
  });

  test("refused for a period not open, nothing saved", async () => {
    const { db } = await fresh();
    const { period } = await buildRecordedQuarter(db, { startYear: 2031, quarter: 2, forecast: false });
    const state = await findPeriod(db, period);
    await closePeriod(db, TEST_ACTOR, { period, version: state?.version ?? 0, confirmMissing: true });
    await assert.rejects(
      saveReportNarrative(db, TEST_ACTOR, { period, version: 0, text: WRITTEN, returnUrl: "/back" }),
      NotOpenForEntry,
    );
    assert.equal(await reportNarrative(db, period), null);
    assert.equal((await listAuditEvents(db, "report-narrative", "2031-32-q2")).length, 0);
  });
});

test("the narrative form: all blank or no version is refused, saying which field", () => {
  const blank = narrativeForm.safeParse({ version: "0", purpose: "  " });
  assert.equal(blank.success, false);
  assert.deepEqual(
    blank.error?.issues.map((issue) => [issue.path.join("-"), issue.message]),
    [["purpose", "Write at least one part of the narrative, such as the purpose of the report"]],
  );
  const noVersion = narrativeForm.safeParse({ purpose: "Why" });
  assert.equal(noVersion.success, false);
  assert.match(noVersion.error?.issues[0]?.message ?? "", /missing its version/);
  const ok = narrativeForm.parse({ version: "3", overview: " Fine. " });
  assert.equal(ok.version, 3);
  assert.equal(ok.overview, "Fine.");
  assert.equal(ok.purpose, "");
});
