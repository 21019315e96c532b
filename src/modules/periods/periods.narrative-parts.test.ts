import assert from "node:assert/strict";
import { test } from "node:test";
import { buildRecordedQuarter } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { Conflict } from "../../errors.ts";
import { parseForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { quarterlyReport } from "../reports/reports.service.ts";
import { EMPTY_NARRATIVE, reportNarrative, saveReportNarrative } from "./periods.narrative.ts";
import { narrativeForm } from "./periods.schemas.ts";

/**
 * The committee report's other parts on the narrative form: key decision, call-in, background
 * papers, author and date. A made-up council's quarter; the report prints what was written, and
 * nothing where nothing was.
 */

const PARTS = {
  ...EMPTY_NARRATIVE,
  purpose: "To report quarter 4.",
  keyDecision: "yes",
  keyDecisionReference: "KD-2031-07",
  callInWaived: "yes",
  callInReason: "The contract must be let before the year end.",
  backgroundPapers: "Budget working papers, Finance team\nQuarter 3 report, Committee archive",
  authorName: "Sam Patel",
  authorJobTitle: "Finance Manager",
  authorContact: "01234 567890",
  reportDate: "2031-03-02",
};

function formOf(fields: Record<string, string>) {
  return parseForm(narrativeForm, { version: "0", ...fields });
}

describeOnBothDatabases("the committee report's parts of a period's narrative", (fresh) => {
  test("written and audited; the report's heading and closing sections print them", async () => {
    const { db } = await fresh();
    const { period } = await buildRecordedQuarter(db, { startYear: 2030, quarter: 4 });
    await saveReportNarrative(db, TEST_ACTOR, { period, version: 0, text: PARTS, returnUrl: "/back" });
    const saved = await reportNarrative(db, period);
    assert.equal(saved?.reportDate, "2031-03-02");
    assert.equal(saved?.keyDecisionReference, "KD-2031-07");
    const [event] = await listAuditEvents(db, "report-narrative", "2030-31-q4");
    assert.equal((event?.after as Record<string, string> | undefined)?.authorName, "Sam Patel");

    const report = await quarterlyReport(db, "2030-31", 4);
    assert.ok(
      report.header?.includes("Author: Sam Patel, Finance Manager (01234 567890)"),
      String(report.header),
    );
    assert.ok(report.header?.includes("2 March 2031"), String(report.header));
    const closing = report.sections
      .filter((section) => section.id.startsWith("closing-"))
      .map((section) => [
        section.title,
        ...section.blocks.flatMap((block) => (block.kind === "paragraph" ? [block.text] : [])),
      ]);
    assert.deepEqual(closing, [
      ["3. Key Decision", "Yes. Reference: KD-2031-07."],
      [
        "4. Call-In",
        "Is it required that call-in be waived in respect of the decisions proposed in the report? Yes.",
        "The contract must be let before the year end.",
      ],
      ["5. Background Papers", "Budget working papers, Finance team", "Quarter 3 report, Committee archive"],
    ]);

    // "No" to both, no papers, no author or date: the report says no, and invents nothing.
    await saveReportNarrative(db, TEST_ACTOR, {
      period,
      version: 1,
      text: { ...EMPTY_NARRATIVE, purpose: "To report quarter 4.", keyDecision: "no", callInWaived: "no" },
      returnUrl: "/back",
    });
    const second = await quarterlyReport(db, "2030-31", 4);
    assert.ok(!second.header?.some((line) => line.startsWith("Author")));
    assert.ok(second.header?.includes("Quarter 4 2030/31"));
    assert.deepEqual(
      second.sections.filter((section) => section.id.startsWith("closing-")).map((section) => section.title),
      ["3. Key Decision", "4. Call-In"],
    );
  });

  test("the form: a yes needs its reference or reason, a date must be real, each error names its field", () => {
    const errorsOf = (fields: Record<string, string>) => {
      const parsed = formOf(fields);
      return parsed.ok ? [] : parsed.errors.map((error) => `${error.field}: ${error.message}`);
    };
    assert.deepEqual(errorsOf({ purpose: "P", keyDecision: "yes" }), [
      "keyDecisionReference: Enter the key decision's reference, as the forward plan gives it",
    ]);
    assert.deepEqual(errorsOf({ purpose: "P", keyDecisionReference: "KD-1" }), [
      "keyDecision: Select yes for a key decision, or remove the key decision reference",
    ]);
    assert.deepEqual(errorsOf({ purpose: "P", callInWaived: "yes" }), [
      "callInReason: Enter the reason call-in is to be waived",
    ]);
    assert.deepEqual(errorsOf({ purpose: "P", callInWaived: "maybe" }), [
      "callInWaived: Select yes or no for whether call-in is to be waived",
    ]);
    assert.deepEqual(
      errorsOf({ purpose: "P", "reportDate-day": "31", "reportDate-month": "2", "reportDate-year": "2031" }),
      ["reportDate: The date of the report must be a real date, for example 2 3 2031"],
    );
    assert.deepEqual(errorsOf({ purpose: "P", authorName: "x".repeat(201) }), [
      "authorName: The report author's name must be 200 characters or fewer",
    ]);
    // A date alone is a part written; the boxes become one ISO date.
    const dated = formOf({ "reportDate-day": "2", "reportDate-month": "3", "reportDate-year": "2031" });
    assert.ok(dated.ok);
    assert.equal(dated.value.reportDate, "2031-03-02");
  });

  test("a stale form is refused with the parts that differ, nothing overwritten", async () => {
    const { db } = await fresh();
    const { period } = await buildRecordedQuarter(db, { startYear: 2030, quarter: 4 });
    await saveReportNarrative(db, TEST_ACTOR, { period, version: 0, text: PARTS, returnUrl: "/back" });
    await assert.rejects(
      saveReportNarrative(db, "second.officer@example.test", {
        period,
        version: 0,
        text: { ...PARTS, keyDecision: "no", keyDecisionReference: "", reportDate: "2031-03-09" },
        returnUrl: "/back",
      }),
      (error: unknown) => {
        assert.ok(error instanceof Conflict);
        assert.deepEqual(error.fields, [
          { label: "Key decision", saved: "Yes", submitted: "No" },
          { label: "Key decision reference", saved: "KD-2031-07", submitted: "" },
          { label: "Date of the report", saved: "2031-03-02", submitted: "2031-03-09" },
        ]);
        return true;
      },
    );
    assert.equal((await reportNarrative(db, period))?.keyDecision, "yes");
  });
});
