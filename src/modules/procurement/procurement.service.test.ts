// Loaders first: test/helpers imports load-demo.ts, whose loaders import it back; entering the
// cycle here lets every loader see DEMO_DIRECTORY initialised.
import "../../demo/loaders.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { count, eq } from "drizzle-orm";
import { buildProcurement } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { plannedProcurements, procurementThresholds } from "../../db/schema/index.ts";
import { Conflict, ValidationFailed } from "../../errors.ts";
import { parseForm } from "../../web/forms.ts";
import { listAuditEvents } from "../audit/audit.service.ts";
import { pipeline, setExpectedPayments } from "./procurement.pipeline.ts";
import { procurementFormSchema, thresholdFormSchema } from "./procurement.schemas.ts";
import { createProcurement, forwardPlan, getProcurement, updateProcurement } from "./procurement.service.ts";
import { addThreshold } from "./procurement.thresholds.ts";

interface SeedRow {
  id: string;
  table: string;
  title: string;
  estimatedValueText: string;
  estimatedValuePence: number;
}
const seed = JSON.parse(
  readFileSync(
    new URL("../../../data/demo/procurement/forward-plan-2021-2023.json", import.meta.url),
    "utf8",
  ),
) as { procurements: SeedRow[] };
const seedTable = (table: string) => seed.procurements.filter((row) => row.table === table);

function form(fields: Record<string, string>) {
  const parsed = parseForm(procurementFormSchema, {
    title: "Short breaks for disabled children",
    estimatedValue: "£210,000",
    estimatedStartDate: "2025-03-01",
    category: "services",
    department: "Children's Services",
    status: "planned",
    ...fields,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

describeOnBothDatabases("procurement forward plan", (fresh) => {
  test("two first entries of a year's expected payments at once: one saves, the other gets Conflict", async () => {
    const { db } = await fresh();
    const results = await Promise.allSettled(
      [150_000_000_00, 90_000_000_00].map((pence) => setExpectedPayments(db, TEST_ACTOR, 2024, null, pence)),
    );
    const saved = results.filter((result) => result.status === "fulfilled");
    assert.equal(saved.length, 1);
    const refused = results.find((result) => result.status === "rejected");
    assert.ok(refused && refused.reason instanceof Conflict);
    const view = await pipeline(db, 2024);
    assert.equal(view.notice.expectedPaymentsPence, saved[0]?.value.expectedPaymentsPence);
    assert.equal(view.expectedPaymentsVersion, 1);
  });

  test("the demo forward plan shows the seed's two tables, row for row, with the same totals", async () => {
    const { db } = await fresh({ demo: true });
    const plan = await forwardPlan(db);
    assert.deepEqual(
      plan.bands.map((band) => band.band),
      ["floor-to-threshold", "above-threshold"],
    );
    const [below, above] = plan.bands;
    assert.deepEqual(
      below?.entries.map((entry) => entry.id),
      seedTable("Table One").map((row) => row.id),
    );
    assert.deepEqual(
      above?.entries.map((entry) => entry.id),
      seedTable("Table Two").map((row) => row.id),
    );
    // 15 rows totalling £1,542,000 and 18 rows totalling £73,240,000.
    assert.equal(below?.totalPence, 154_200_000);
    assert.equal(above?.totalPence, 7_324_000_000);
    assert.equal(plan.reportingFloorPence, 5_000_000);
    const daces = below?.entries.find((entry) => entry.id === "cs-fp-2021-t1-12");
    assert.equal(daces?.record.estimatedValueText, "Approx. Lifetime costs 150,000.00");
    assert.equal(daces?.record.valueBasis, "Approx. Lifetime costs");
    assert.equal(daces?.record.durationText, "(up to 4 years)");
    assert.equal(daces?.durationMonths, 48);
  });

  test("filters by band, financial year and status, and sorts by value", async () => {
    const { db } = await fresh();
    for (const [estimatedValue, estimatedStartDate] of [
      ["£500,000", "2027-09-01"],
      ["£100,000", "2027-10-01"],
      ["£900,000", "2027-11-01"],
      ["£700,000", "2029-01-01"],
    ] as const) {
      await buildProcurement(db, { estimatedValue, estimatedStartDate });
    }
    const plan = await forwardPlan(db, { band: "above-threshold", year: 2027, sort: "value", order: "desc" });
    assert.deepEqual(
      plan.bands.map((band) => band.entries.length),
      [0, 2],
    );
    const values = plan.bands[1]?.entries.map((entry) => entry.estimatedValuePence) ?? [];
    assert.deepEqual(values, [900_000_00, 500_000_00]);
    const withdrawn = await forwardPlan(db, { status: "withdrawn" });
    assert.equal(withdrawn.bands.flatMap((band) => band.entries).length, 0);
  });

  test("£210,000 of services is below the threshold commencing March 2025 and above it commencing February 2026", async () => {
    const { db } = await fresh();
    const march = await createProcurement(db, TEST_ACTOR, form({ estimatedStartDate: "2025-03-01" }));
    const february = await createProcurement(
      db,
      TEST_ACTOR,
      form({ estimatedStartDate: "2026-09-01", expectedCommencementDate: "1/2/2026" }),
    );
    const before = await getProcurement(db, march.id);
    assert.equal(before.band, "floor-to-threshold");
    assert.equal(
      before.banding.explanation,
      "£210,000 is below the goods and services threshold of £214,904 in force on 1 March 2025.",
    );
    const after = await getProcurement(db, february.id);
    assert.equal(after.band, "above-threshold");
    assert.equal(after.banding.commencementDateFrom, "expected-commencement-date");
    assert.match(
      after.banding.explanation,
      /above the goods and services threshold of £207,720 in force on 1 February 2026/,
    );
  });

  test("the demo's 2022/23 pipeline lists the planned contracts over £2m advertised from 1 April 2022 to 30 September 2023", async () => {
    const { db } = await fresh({ demo: true });
    const view = await pipeline(db, 2022);
    assert.deepEqual(
      view.notice.contracts.map((entry) => entry.id),
      ["cs-fp-2021-t2-12", "cs-fp-2021-t2-18", "cs-fp-2021-t2-13", "cs-fp-2021-t2-17", "cs-fp-2021-t2-15"],
    );
    assert.equal(view.notice.reportingPeriod.to, "2023-09-30");
    assert.equal(view.expectedPaymentsEntered, false);
    assert.equal(view.notice.mustPublish, false);
  });

  test("a stale edit is refused with a conflict and changes nothing", async () => {
    const { db } = await fresh();
    const original = await getProcurement(db, (await buildProcurement(db)).id);
    await updateProcurement(
      db,
      TEST_ACTOR,
      original.id,
      original.record.version,
      form({ title: "First edit" }),
    );
    await assert.rejects(
      updateProcurement(db, TEST_ACTOR, original.id, original.record.version, form({ title: "Stale edit" })),
      (error: unknown) =>
        error instanceof Conflict && error.fields.some((field) => field.submitted === "Stale edit"),
    );
    const saved = await getProcurement(db, original.id);
    assert.equal(saved.title, "First edit");
    assert.equal(saved.record.version, original.record.version + 1);
  });

  test("an edit is audited with the record before and after, and an estimate change drops the published band", async () => {
    const { db } = await fresh();
    const built = await buildProcurement(
      db,
      { estimatedValue: "£200,000", estimatedStartDate: "2021-09-01" },
      { id: "ay-fp-01", band: "above-threshold", table: "Table 2", row: 1 },
    );
    const original = await getProcurement(db, built.id);
    assert.equal(original.record.sourceBand, "above-threshold");
    await updateProcurement(
      db,
      TEST_ACTOR,
      original.id,
      original.record.version,
      form({ title: original.title, estimatedValue: "£150,000", estimatedStartDate: "2021-10-01" }),
    );
    const events = await listAuditEvents(db, "planned-procurement", original.id);
    const [latest] = events;
    assert.ok(latest);
    assert.equal(latest.action, "update");
    assert.equal(latest.actor, TEST_ACTOR);
    assert.equal((latest.before as { estimatedValuePence: number }).estimatedValuePence, 20_000_000);
    assert.equal((latest.after as { estimatedValuePence: number }).estimatedValuePence, 15_000_000);
    assert.equal(events.at(-1)?.action, "create");
    const edited = await getProcurement(db, original.id);
    assert.equal(edited.band, "floor-to-threshold");
    assert.equal(edited.record.sourceBand, null);
  });

  test("a value that is not an amount or a date that is not a date is refused by the form", () => {
    const parsed = parseForm(procurementFormSchema, {
      title: "X",
      estimatedValue: "about two hundred grand",
      estimatedStartDate: "31/02/2025",
      category: "services",
      department: "Children's Services",
      status: "planned",
    });
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.deepEqual(
      parsed.errors.map((error) => error.field),
      ["estimatedValue", "estimatedStartDate"],
    );
  });

  test("a threshold row with unordered or duplicate dates is refused and the table is unchanged", async () => {
    const { db } = await fresh();
    const [{ value: rowsBefore } = { value: 0 }] = await db
      .select({ value: count() })
      .from(procurementThresholds);
    for (const inForceFrom of ["2025-01-01", "2026-01-01"]) {
      const parsed = parseForm(thresholdFormSchema, {
        inForceFrom,
        goodsAndServices: "£200,000",
        works: "£5,000,000",
        lightTouchServices: "£663,540",
      });
      assert.ok(parsed.ok);
      await assert.rejects(addThreshold(db, TEST_ACTOR, parsed.value), ValidationFailed);
    }
    const [{ value: rowsAfter } = { value: 0 }] = await db
      .select({ value: count() })
      .from(procurementThresholds);
    assert.equal(rowsAfter, rowsBefore);
    const added = parseForm(thresholdFormSchema, {
      inForceFrom: "1/1/2028",
      goodsAndServices: "£220,000",
      works: "£5,500,000",
      lightTouchServices: "£700,000",
    });
    assert.ok(added.ok);
    const row = await addThreshold(db, TEST_ACTOR, added.value);
    assert.equal(row.inForceFrom, "2028-01-01");
    const events = await listAuditEvents(db, "procurement-threshold", row.id);
    assert.equal(events.length, 1);
  });

  test("a procurement commencing before any threshold is refused and nothing is saved", async () => {
    const { db } = await fresh();
    await assert.rejects(
      createProcurement(db, TEST_ACTOR, form({ estimatedStartDate: "2019-06-01" })),
      (error: unknown) =>
        error instanceof ValidationFailed && error.errors[0]?.field === "estimatedStartDate",
    );
    const rows = await db
      .select()
      .from(plannedProcurements)
      .where(eq(plannedProcurements.estimatedStartDate, "2019-06-01"));
    assert.equal(rows.length, 0);
  });
});
