import type { z } from "zod";
import type { Database } from "../../db/client.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { findSetting, upsertSetting } from "./settings.repository.ts";

/** A setting's value read with its schema, or null where none has been saved. */
export async function readSetting<T>(db: Database, key: string, schema: z.ZodType<T>): Promise<T | null> {
  const row = await findSetting(db, key);
  return row ? schema.parse(row.value) : null;
}

/** A setting's stored value as it is, for a caller that checks it itself; null where none. */
export async function readSettingValue(db: Database, key: string): Promise<unknown> {
  return (await findSetting(db, key))?.value ?? null;
}

/** Whether a setting has been saved at all (the demo marker is one). */
export async function hasSetting(db: Database, key: string): Promise<boolean> {
  return (await findSetting(db, key)) !== undefined;
}

/**
 * Saves a setting's value and records who did it, in one transaction: an audit event of entity
 * type "setting" with the value before and after.
 */
export async function saveSetting(
  db: Database,
  actor: string,
  change: { key: string; value: unknown; summary: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await findSetting(tx, change.key);
    await upsertSetting(tx, change.key, change.value);
    await recordAuditEvent(tx, {
      actor,
      action: before ? "update" : "create",
      entityType: "setting",
      entityId: change.key,
      summary: change.summary,
      before: before?.value ?? null,
      after: change.value,
    });
  });
}

/**
 * Saves a setting the caller audits itself (it is part of a larger change already recorded), or
 * that is a marker no person changes.
 */
export async function recordSetting(db: Database, key: string, value: unknown): Promise<void> {
  await upsertSetting(db, key, value);
}

/** A setting's stored value and its version (0 where none has been saved), for a version-checked form. */
export async function readSettingAndVersion(
  db: Database,
  key: string,
): Promise<{ value: unknown; version: number }> {
  const row = await findSetting(db, key);
  return { value: row?.value ?? null, version: row?.version ?? 0 };
}
