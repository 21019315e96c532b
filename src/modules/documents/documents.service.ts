import type { Database } from "../../db/client.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { insertSourceDocument, listSourceDocuments } from "./documents.repository.ts";

export interface NewSourceDocument {
  slug: string;
  title: string;
  kind: string;
  publishedOn: string | null;
}

/** Registers a document the council's data comes from; audited like every write. */
export async function recordSourceDocument(db: Database, actor: string, document: NewSourceDocument) {
  return db.transaction(async (tx) => {
    const row = await insertSourceDocument(tx, document);
    await recordAuditEvent(tx, {
      actor,
      action: "create",
      entityType: "source-document",
      entityId: document.slug,
      summary: `Recorded the document "${document.title}"`,
      after: row,
    });
    return row;
  });
}

/** Title by slug, for pages; a slug with no registered document is shown as it is. */
export async function documentTitles(db: Database): Promise<Record<string, string>> {
  const documents = await listSourceDocuments(db);
  return Object.fromEntries(documents.map((document) => [document.slug, document.title]));
}
