import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { deliverables, measures, risks } from "../../db/schema/index.ts";
import type { OwnedKind } from "../../domain/ownership.ts";

/**
 * The owner names typed on the records an owner may update (src/domain/ownership.ts): a
 * deliverable's lead officers and its lead as written, a measure's owner, a risk's owner. Budget
 * lines record no budget holder, so none is named for them. Undefined: no such record.
 */
export async function ownerNamesOf(
  db: Database,
  kind: OwnedKind,
  id: number,
): Promise<{ title: string; names: string[] } | undefined> {
  if (kind === "deliverable") {
    const [row] = await db
      .select({
        title: deliverables.title,
        lead: deliverables.leadAsWritten,
        officers: deliverables.leadOfficers,
      })
      .from(deliverables)
      .where(eq(deliverables.id, id));
    return row
      ? { title: row.title, names: [row.lead, ...row.officers.map((officer) => officer.name)] }
      : undefined;
  }
  if (kind === "measure") {
    const [row] = await db
      .select({ title: measures.title, owner: measures.owner })
      .from(measures)
      .where(eq(measures.id, id));
    return row ? { title: row.title, names: row.owner ? [row.owner] : [] } : undefined;
  }
  if (kind === "risk") {
    const [row] = await db
      .select({ title: risks.description, owner: risks.owner })
      .from(risks)
      .where(eq(risks.id, id));
    return row ? { title: row.title, names: row.owner ? [row.owner] : [] } : undefined;
  }
  return { title: `Budget line ${id}`, names: [] };
}

/** Every deliverable's or measure's owner names, by id, for the update round's lists. */
export async function listOwnerNames(
  db: Database,
  kind: "deliverable" | "measure",
): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>();
  if (kind === "deliverable") {
    const rows = await db
      .select({ id: deliverables.id, lead: deliverables.leadAsWritten, officers: deliverables.leadOfficers })
      .from(deliverables);
    for (const row of rows) names.set(row.id, [row.lead, ...row.officers.map((officer) => officer.name)]);
  } else {
    const rows = await db.select({ id: measures.id, owner: measures.owner }).from(measures);
    for (const row of rows) names.set(row.id, row.owner ? [row.owner] : []);
  }
  return names;
}
