import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { approvedPlanDocuments, planApprovals } from "../../db/schema/index.ts";

/** The SQL of service plan documents frozen at approval. */

export type PlanApprovalRow = typeof planApprovals.$inferSelect;
export type ApprovedDocumentFormat = (typeof approvedPlanDocuments.$inferSelect)["format"];

export async function insertPlanApproval(
  db: Database,
  values: { planId: number; approvedBy: string },
): Promise<PlanApprovalRow> {
  const [row] = await db.insert(planApprovals).values(values).returning();
  if (!row) throw new Error("The plan's approval was not stored");
  return row;
}

/** A plan's approvals, newest first. */
export async function listPlanApprovals(db: Database, planId: number): Promise<PlanApprovalRow[]> {
  return db
    .select()
    .from(planApprovals)
    .where(eq(planApprovals.planId, planId))
    .orderBy(desc(planApprovals.approvedAt), desc(planApprovals.id));
}

export async function findApprovedDocument(
  db: Database,
  approvalId: number,
  format: ApprovedDocumentFormat,
): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ content: approvedPlanDocuments.content })
    .from(approvedPlanDocuments)
    .where(and(eq(approvedPlanDocuments.approvalId, approvalId), eq(approvedPlanDocuments.format, format)));
  return row ? Buffer.from(row.content) : undefined;
}

/** Stores an approval's document once; a second writer's copy is dropped and the first is kept. */
export async function insertApprovedDocument(
  db: Database,
  values: { approvalId: number; format: ApprovedDocumentFormat; content: Buffer },
): Promise<void> {
  await db.insert(approvedPlanDocuments).values(values).onConflictDoNothing();
}
