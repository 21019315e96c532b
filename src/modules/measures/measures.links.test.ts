import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "drizzle-orm";
import { buildCouncil, idOf } from "../../../test/helpers/builders.ts";
import { describeOnBothDatabases, TEST_ACTOR } from "../../../test/helpers/database.ts";
import { type Database, queryRows } from "../../db/client.ts";
import { readMigrations } from "../../db/migrate.ts";
import { Conflict } from "../../errors.ts";
import { measurePlanLinks } from "../plan/plan.service.ts";
import { readDemoTables, readDemoTableText } from "./measures.demo.ts";
import { combineMeasures } from "./measures.edit.ts";
import { parsePastedTable } from "./measures.paste.ts";
import { listMeasures } from "./measures.repository.ts";
import {
  createMeasure,
  editMeasureDetails,
  editValue,
  listMeasureGroups,
  measurePage,
  previewImport,
  type RatedRow,
  saveImport,
} from "./measures.service.ts";

// The refresh's list as the seed (001, "Outcome 2") prints it, copied with its heading.
const REFRESH_OUTCOME_2 = [
  "Outcome 2",
  "",
  "- The number of children in care living with Council foster carers (target for 2024-25 increase from 2023-24)",
  "- The number of children returning home from care (target for 2024-25 increase from 2023-24)",
  "- The number of children leaving care through a special guardianship order (target for 2024-25 increase from 2023-24)",
  "- The number of children in care with a placement step down (baseline to be established during 2024-25)",
  "- The number of children being supported to remain at home rather being admitted to care (baseline to be established during 2024-25)",
].join("\r\n");

async function measureTitled(db: Database, fragment: string) {
  const measure = (await listMeasures(db)).find((candidate) => candidate.title.includes(fragment));
  assert.ok(measure, `no measure titled like ${fragment}`);
  return measure;
}

test("pasting the refresh's list lines gives the same columns and rows as the demo table", async () => {
  const demo = (await readDemoTables()).find((table) => table.file.includes("07-"));
  assert.ok(demo);
  const fromDemo = parsePastedTable(await readDemoTableText(demo));
  const fromList = parsePastedTable(REFRESH_OUTCOME_2);
  assert.deepEqual(fromList.columns, fromDemo.columns);
  assert.deepEqual(
    fromList.rows.map((row) => [row.kind, row.title, row.cells]),
    fromDemo.rows.map((row) => [row.kind, row.title, row.cells]),
  );
});

// Outcomes 4 and 5 as the seed prints them, including the blank line inside Outcome 5's list.
const REFRESH_OUTCOMES_4_AND_5 = {
  "08-": [
    "Outcome 4",
    "",
    "- Proportion of all new Education Health and Care plans issued within 20 weeks (target for 2024-25 to exceed the national average)",
    "- Proportion of new Education Health and Care plans (excluding exceptions) issued within 20 weeks (target for 2024-25 to exceed the national average)",
  ],
  "09-": [
    "Outcome 5",
    "",
    "- Proportion of practice areas within reflective case reviews judged to be good or better (target for 2024-25 to maintain performance above 70%)",
    "- Children's social work assessments completed within 45 days (target for 2024-25 maintain upper-middle or better national quartile performance)",
    "- Initial child protection conferences held within 15 days (target for 2024-25 maintain upper-middle or better national quartile performance)",
    "- Percentage of Council run children's homes rated as 'Good' or 'Outstanding' by Ofsted (target for 2024-25 maintain performance above 90%)",
    "",
    "- Rate of improvement in the proportion of pupils in 'Good' or better primary schools (target for 2024-25 to exceed the rate of improvement nationally)",
    "- Rate of improvement in the proportion of pupils in 'Good' or better secondary schools (target for 2024-25 to exceed the rate of improvement nationally)",
    "- Percentage of pupils achieving the expected level in Phonics (target for 2024-25 to exceed the national average)",
    "- Percentage point gap between disadvantaged pupils in Derbyshire and non-disadvantaged pupils achieving the expected standard in Phonics (target for 2024-25 to narrow the national gap compared to the previous year)",
    "- Percentage of pupils achieving a grade 4 or above in English and Maths at GCSE (target for 2024-25 to maintain an outcome significantly better than the national average)",
    "- Percentage point gap between disadvantaged pupils in Derbyshire and non-disadvantaged pupils nationally achieving a grade 4 or above in English and Maths at GCSE (target for 2024-25 to narrow the national gap compared to the previous year)",
    "- Percentage of 16-17year olds in employment, education, and training (target for 2024-25 to exceed the national average)",
  ],
};

test("pasting Outcome 4's and Outcome 5's lines gives their demo tables too", async () => {
  const tables = await readDemoTables();
  for (const [prefix, lines] of Object.entries(REFRESH_OUTCOMES_4_AND_5)) {
    const demo = tables.find((table) => table.file.includes(prefix));
    assert.ok(demo);
    const fromDemo = parsePastedTable(await readDemoTableText(demo));
    const fromList = parsePastedTable(lines.join("\n"));
    assert.deepEqual(fromList.columns, fromDemo.columns);
    assert.deepEqual(
      fromList.rows.map((row) => [row.kind, row.title, row.cells]),
      fromDemo.rows.map((row) => [row.kind, row.title, row.cells]),
    );
  }
});

test("a list line with no target keeps its title and an empty target; a different year is noted", () => {
  const table = parsePastedTable(
    "- A measure (target for 2024-25 to exceed the national average)\n- Another measure\n- Third (target for 2025-26 increase from 2024-25)",
  );
  assert.equal(table.columns[0]?.heading, "Target 2024-25");
  assert.deepEqual(
    table.rows.map((row) => [row.title, row.cells[0]]),
    [
      ["A measure", "to exceed the national average"],
      ["Another measure", ""],
      ["Third", "increase from 2024-25"],
    ],
  );
  assert.match(table.rows[2]?.notes?.[0] ?? "", /for 2025-26/);
});

describeOnBothDatabases("measures: benchmarks, evidences and details", (fresh) => {
  test("the social worker vacancies measure has the seed's national figure of 16.4 for 2019/20, read inline", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const measure = await measureTitled(db, "social worker vacancies");
    const page = await measurePage(db, measure.id);
    const national = page.benchmarks.filter((benchmark) => benchmark.benchmarkGroup === "national");
    assert.equal(national.length, 1);
    assert.equal(national[0]?.periodKey, "2019/20");
    assert.equal(Number(national[0]?.amount), 16.4);
    assert.equal(national[0]?.decimals, 1);
    assert.equal(national[0]?.source, "inline");
    assert.equal(national[0]?.document, "service-plan-2021-2025");
    const cell = page.values.find((value) => value.id === national[0]?.valueId);
    assert.equal(cell?.cellText, "14.9% (national 16.4%)");
    // "To remain lower than national average" is assessed where the national figure is known.
    const comparison = page.comparisons.find(
      (candidate) => candidate.target.targetText === "To remain lower than national average",
    );
    assert.ok(comparison);
    assert.equal(comparison.verdict.outcome, "met");
    assert.match(comparison.verdict.explanation, /16\.4%/);
    // For 2021/22 there is no national figure, so that year's verdict still says what is missing.
    const later = page.targets.find(
      (verdict) => verdict.target.targetText === "To remain lower than national average",
    );
    assert.notEqual(later?.rating.verdict.outcome, "met");
  });

  test("restating the value replaces its benchmark; the old one is kept but not current", async () => {
    const { db } = await fresh({ demo: true });
    const measure = await measureTitled(db, "social worker vacancies");
    const before = await measurePage(db, measure.id);
    const value = before.values.find((candidate) => candidate.cellText === "14.9% (national 16.4%)");
    assert.ok(value);
    await editValue(db, TEST_ACTOR, {
      measureId: measure.id,
      recordId: value.id,
      version: value.version,
      text: "14.9% (national 16.5%)",
    });
    const after = await measurePage(db, measure.id);
    assert.deepEqual(
      after.benchmarks.map((benchmark) => benchmark.amount),
      ["16.5"],
    );
    const [row] = await queryRows<{ n: string | number }>(
      db,
      sql`select count(*) as n from measure_benchmarks where measure_id = ${measure.id}`,
    );
    assert.equal(Number(row?.n), 2);
  });

  test("a measure's page lists the deliverables and the objectives under the outcome it evidences", async () => {
    const { db } = await fresh({ demo: true, readOnly: true });
    const gcse = await measureTitled(db, "Percentage achieving a standard pass (grades 4-9)");
    const evidences = await measurePlanLinks.evidenceOf(db, gcse.id);
    assert.ok(evidences.deliverables.length > 0);
    assert.ok(
      evidences.deliverables.some((deliverable) => /above national averages/.test(deliverable.title)),
    );
    // Also listed under Outcome 5 in the refresh, by another title.
    const outcome5 = evidences.outcomes.find((outcome) => outcome.number === 5);
    assert.ok(outcome5);
    assert.ok(outcome5.objectives.length > 0);
    const fosterCarers = await measureTitled(db, "living with Council foster carers");
    const fosterEvidence = await measurePlanLinks.evidenceOf(db, fosterCarers.id);
    assert.deepEqual(fosterEvidence.deliverables, []);
    assert.deepEqual(
      fosterEvidence.outcomes.map((outcome) => outcome.number),
      [2],
    );
    assert.ok(fosterEvidence.outcomes[0]?.objectives.some((objective) => objective.number === 10));
    assert.match(fosterEvidence.outcomes[0]?.title ?? "", /Happy, safe and healthy people/);
  });

  test("a pasted list saves as the refresh table does, and a new measure's details can then be set", async () => {
    const { db } = await fresh({ demo: true });
    const input = {
      text: `${REFRESH_OUTCOME_2}\n- A brand new pasted measure (target for 2024-25 increase from 2023-24)`,
      document: "pasted-refresh",
      groupKind: "outcome",
      groupTitle: "Outcome 2",
    };
    const preview = await previewImport(db, input);
    assert.deepEqual(preview.problems, []);
    assert.equal(preview.rows.filter((row) => row.measure !== null).length, 5);
    await saveImport(db, TEST_ACTOR, input);
    const created = await measureTitled(db, "A brand new pasted measure");
    assert.equal(created.unit, null);
    const details = {
      title: "A brand new pasted measure",
      code: "NEW1",
      definition: "Children counted at the year end.",
      unit: "count" as const,
      decimals: 0,
      polarity: "higher-is-better" as const,
      frequency: "annual",
      basis: "financial-year",
      source: "Children's Services performance team",
      owner: "Head of service",
    };
    const saved = await editMeasureDetails(db, TEST_ACTOR, {
      measureId: created.id,
      version: created.version,
      details,
    });
    assert.equal(saved.unit, "count");
    assert.equal(saved.version, created.version + 1);
    const [audit] = await queryRows<{ summary: string }>(
      db,
      sql`select summary from audit_events where entity_type = 'measure' and entity_id = ${String(created.id)} and action = 'update'`,
    );
    assert.match(audit?.summary ?? "", /unit/);
    await assert.rejects(
      editMeasureDetails(db, TEST_ACTOR, { measureId: created.id, version: created.version, details }),
      (error: unknown) => error instanceof Conflict,
    );
    const listed = (await listMeasureGroups(db))
      .flatMap((listing) => listing.rows)
      .find((row): row is RatedRow => "measure" in row && row.measure.id === created.id);
    assert.equal(listed?.measure.polarity, "higher-is-better");
  });
});

describeOnBothDatabases("measures: plans link to them by id", (fresh) => {
  test("migration 0014 gives each title link its measure's id and keeps a link that names no measure", async () => {
    const { db } = await fresh({ demo: true });
    const before = await queryRows<{ id: string; measure_id: string | null }>(
      db,
      sql`select id::text, measure_id::text from deliverable_measure_links order by id`,
    );
    const outcomesBefore = await queryRows<{ id: string; measure_id: string | null }>(
      db,
      sql`select id::text, measure_id::text from outcome_measure_links order by id`,
    );
    assert.ok(before.some((row) => row.measure_id !== null));
    assert.ok(outcomesBefore.some((row) => row.measure_id !== null));
    const [deliverable] = await queryRows<{ id: string }>(db, sql`select id::text from deliverables limit 1`);
    assert.ok(deliverable);
    await db.execute(
      sql`insert into deliverable_measure_links (deliverable_id, position, measure_title)
          values (${deliverable.id}, 99, 'A measure no table lists')`,
    );
    // Back to the links as they were before 0014 (titles only), then 0014's conversion.
    await db.execute(sql`update deliverable_measure_links set measure_id = null`);
    await db.execute(sql`update outcome_measure_links set measure_id = null`);
    const migration = (await readMigrations()).find((candidate) => candidate.name.startsWith("0014_"));
    assert.ok(migration);
    for (const statement of migration.statements.filter((text) => /^update\b/m.test(text))) {
      await db.execute(sql.raw(statement.replace(/^--.*$/gm, "")));
    }
    const after = await queryRows<{ id: string; measure_id: string | null; measure_title: string }>(
      db,
      sql`select id::text, measure_id::text, measure_title from deliverable_measure_links order by id`,
    );
    assert.deepEqual(
      after
        .filter((row) => row.measure_title !== "A measure no table lists")
        .map(({ id, measure_id }) => ({ id, measure_id })),
      before,
    );
    assert.equal(after.find((row) => row.measure_title === "A measure no table lists")?.measure_id, null);
    assert.deepEqual(
      await queryRows(db, sql`select id::text, measure_id::text from outcome_measure_links order by id`),
      outcomesBefore,
    );
  });

  test("a link waiting for a measure takes the id of the measure later added under its title", async () => {
    const { db } = await fresh();
    const council = await buildCouncil(db, {
      deliverables: [
        { title: "Made-up faster first visits", measureTitles: ["Residents seen within a week"] },
      ],
    });
    const deliverableId = idOf(council.deliverableIds, "Made-up faster first visits");
    const measure = await createMeasure(
      db,
      TEST_ACTOR,
      { slug: "seen-in-a-week", title: "Residents seen within a week" },
      measurePlanLinks,
    );
    const evidences = await measurePlanLinks.evidenceOf(db, measure.id);
    assert.deepEqual(
      evidences.deliverables.map((evidenced) => evidenced.id),
      [deliverableId],
    );
    // A retitled measure keeps its links: they are by id.
    await db.execute(sql`update measures set title = 'Renamed' where id = ${measure.id}`);
    assert.equal((await measurePlanLinks.evidenceOf(db, measure.id)).deliverables.length, 1);
  });

  test("combining two measures moves the plan's links to the kept one", async () => {
    const { db } = await fresh();
    const council = await buildCouncil(db, {
      deliverables: [
        { title: "Made-up quicker repairs", measureTitles: ["Repairs done on time"] },
        { title: "Made-up fewer repeat visits", measureTitles: ["Repairs right first time"] },
      ],
    });
    const [keep, other] = [
      await createMeasure(
        db,
        TEST_ACTOR,
        { slug: "on-time", title: "Repairs done on time" },
        measurePlanLinks,
      ),
      await createMeasure(
        db,
        TEST_ACTOR,
        { slug: "first-time", title: "Repairs right first time" },
        measurePlanLinks,
      ),
    ] as const;
    await combineMeasures(
      db,
      TEST_ACTOR,
      { keepId: keep.id, keepVersion: keep.version, otherId: other.id, otherVersion: other.version },
      measurePlanLinks,
    );
    assert.deepEqual(
      (await measurePlanLinks.evidenceOf(db, keep.id)).deliverables.map((evidenced) => evidenced.id).sort(),
      [
        idOf(council.deliverableIds, "Made-up quicker repairs"),
        idOf(council.deliverableIds, "Made-up fewer repeat visits"),
      ].sort(),
    );
    assert.deepEqual((await measurePlanLinks.evidenceOf(db, other.id)).deliverables, []);
  });
});
