import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client.ts";
import type { EvidencedOutcome, MeasureEvidence } from "../measures/measures.service.ts";

/**
 * The plan's links to measures (deliverable_measure_links, outcome_measure_links) as the measures
 * module asks for them: what a measure evidences, links waiting for a measure's title, links moved
 * when measures are combined.
 */

/**
 * The deliverables that name this measure as a success measure, and the council outcomes a plan
 * lists it under ("Linked to the Strategic Objectives" in the refresh) with the strategic
 * objectives under each. Both link tables are this module's; they are read by the measure's id
 * (migration 0014), and the title a link names the measure by is shown as written.
 */
export async function measureEvidence(db: Database, measureId: number): Promise<MeasureEvidence> {
  const deliverableRows = await queryRows<{
    id: string | number;
    title: string;
    section: string;
    section_title: string;
    group_title: string;
    measure_title: string;
  }>(
    db,
    sql`select d.id, d.title, d.section, d.section_title, d.group_title, l.measure_title
        from deliverable_measure_links l
        join deliverables d on d.id = l.deliverable_id
        where l.measure_id = ${measureId} and d.archived_at is null
        order by d.position, d.id`,
  );
  const outcomeRows = await queryRows<{
    plan_id: string | number;
    plan_title: string;
    plan_slug: string;
    outcome_number: string | number;
    outcome_wordings: unknown;
    objective_id: string | number | null;
    objective_number: string | number | null;
    objective_title: string | null;
  }>(
    db,
    sql`select distinct l.plan_id, p.title as plan_title, p.slug as plan_slug, l.outcome_number, co.wordings::text as outcome_wordings,
               o.id as objective_id, o.number as objective_number, o.title as objective_title
        from outcome_measure_links l
        join plans p on p.id = l.plan_id
        join departments dep on dep.id = p.department_id
        left join council_outcomes co on co.council_id = dep.council_id and co.number = l.outcome_number
        left join strategic_objectives o on o.plan_id = l.plan_id and o.outcome_number = l.outcome_number
        where l.measure_id = ${measureId}
        order by l.plan_id, l.outcome_number, o.number`,
  );
  const outcomes: EvidencedOutcome[] = [];
  for (const row of outcomeRows) {
    const number = Number(row.outcome_number);
    let outcome = outcomes.find(
      (candidate) => candidate.number === number && candidate.planTitle === row.plan_title,
    );
    if (!outcome) {
      outcome = {
        number,
        title: outcomeWording(row.outcome_wordings),
        planTitle: row.plan_title,
        planSlug: row.plan_slug,
        objectives: [],
      };
      outcomes.push(outcome);
    }
    if (row.objective_id !== null && row.objective_title !== null) {
      outcome.objectives.push({
        id: Number(row.objective_id),
        number: Number(row.objective_number),
        title: row.objective_title,
      });
    }
  }
  return {
    deliverables: deliverableRows.map((row) => ({
      id: Number(row.id),
      title: row.title,
      section: row.section,
      sectionTitle: row.section_title,
      groupTitle: row.group_title,
      linkedAs: row.measure_title,
    })),
    outcomes,
  };
}

function outcomeWording(wordings: unknown): string | null {
  const list = typeof wordings === "string" ? (JSON.parse(wordings) as unknown) : wordings;
  if (!Array.isArray(list)) return null;
  const first = list[0] as { text?: unknown; title?: unknown; wording?: unknown } | undefined;
  const text = first?.text ?? first?.title ?? first?.wording;
  return typeof text === "string" ? text : null;
}

/**
 * Adds a measure's id to the links that wait for it: a plan may list a measure by a title no
 * measure had (a plan loaded before its measures table, or a new measure pasted later); those
 * links take the new measure's id, so they are linked by key from then on.
 */
export async function linkWaiting(db: Database, measureId: number, titles: readonly string[]): Promise<void> {
  const written = JSON.stringify(titles);
  await db.execute(
    sql`update deliverable_measure_links set measure_id = ${measureId}
        where measure_id is null and ${written}::jsonb @> jsonb_build_array(measure_title)`,
  );
  await db.execute(
    sql`update outcome_measure_links set measure_id = ${measureId}
        where measure_id is null and ${written}::jsonb @> jsonb_build_array(measure_title)`,
  );
}

/**
 * linkWaiting for many measures at once, a few statements for all of them: each waiting link
 * takes the earliest measure (lowest id) with its title, as calls in the order added would give.
 */
export async function linkAllWaiting(
  db: Database,
  titles: readonly { measureId: number; title: string }[],
): Promise<void> {
  for (let start = 0; start < titles.length; start += 10_000) {
    const chunk = titles.slice(start, start + 10_000);
    const ids = sql`${sql.param(chunk.map((entry) => entry.measureId))}::bigint[]`;
    const written = sql`${sql.param(chunk.map((entry) => entry.title))}::text[]`;
    for (const table of ["deliverable_measure_links", "outcome_measure_links"]) {
      await db.execute(
        sql`update ${sql.identifier(table)} l set measure_id = w.id
            from (select title, min(id) as id from unnest(${ids}, ${written}) as t(id, title) group by title) w
            where l.measure_id is null and l.measure_title = w.title`,
      );
    }
  }
}

/** Moves every link to one measure to another. */
export async function moveLinks(db: Database, fromId: number, toId: number): Promise<void> {
  for (const table of ["deliverable_measure_links", "outcome_measure_links"]) {
    await db.execute(
      sql`update ${sql.identifier(table)} set measure_id = ${toId} where measure_id = ${fromId}`,
    );
  }
}
