import type { Database } from "../../db/client.ts";
import { sourceDocuments } from "../../db/schema/index.ts";

export type SourceDocument = typeof sourceDocuments.$inferSelect;

export async function listSourceDocuments(db: Database): Promise<SourceDocument[]> {
  return db.select().from(sourceDocuments).orderBy(sourceDocuments.slug);
}

export async function insertSourceDocument(db: Database, document: typeof sourceDocuments.$inferInsert) {
  const [row] = await db.insert(sourceDocuments).values(document).returning();
  return row;
}
