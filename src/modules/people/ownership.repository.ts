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
