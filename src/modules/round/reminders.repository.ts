import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { people, type ReminderOutcome, reminderEmails, reminderPreferences } from "../../db/schema/index.ts";

/** Every read and write of the round's email reminders and people's choice of a daily digest. */

export type ReminderEmailRow = typeof reminderEmails.$inferSelect;

/** The people of a council reminders can go to: active, with an email address. */
export async function listActivePeople(db: Database, councilId: number) {
  return db
    .select({ id: people.id, email: people.email, displayName: people.displayName })
    .from(people)
    .where(and(eq(people.councilId, councilId), eq(people.status, "active")));
}

/** Who asked for one daily digest instead of one email per item. */
export async function listDigestPersonIds(db: Database): Promise<Set<number>> {
  const rows = await db
    .select({ personId: reminderPreferences.personId })
    .from(reminderPreferences)
    .where(eq(reminderPreferences.dailyDigest, true));
  return new Set(rows.map((row) => row.personId));
}

export async function findPreference(db: Database, personId: number) {
  const [row] = await db.select().from(reminderPreferences).where(eq(reminderPreferences.personId, personId));
  return row;
}

export async function savePreference(db: Database, personId: number, dailyDigest: boolean, actor: string) {
  await db
    .insert(reminderPreferences)
    .values({ personId, dailyDigest, updatedBy: actor })
    .onConflictDoUpdate({
      target: reminderPreferences.personId,
      set: { dailyDigest, updatedBy: actor, updatedAt: new Date() },
    });
}

/**
 * Claims reminders before they are sent: each row is written unless the same reminder (person,
 * item, reason, occasion) is already sent or being sent, which the unique index refuses. Returns
 * the rows claimed; the others are someone else's or already done.
 */
export async function claimReminders(
  db: Database,
  rows: (typeof reminderEmails.$inferInsert)[],
): Promise<ReminderEmailRow[]> {
  const claimed: ReminderEmailRow[] = [];
  for (const row of rows) {
    const [inserted] = await db.insert(reminderEmails).values(row).onConflictDoNothing().returning();
    if (inserted) claimed.push(inserted);
  }
  return claimed;
}

/** What the SMTP server said about one email (every row sharing its message id). */
export async function recordOutcome(
  db: Database,
  messageId: string,
  outcome: Exclude<ReminderOutcome, "sending">,
  detail: string,
): Promise<void> {
  await db.update(reminderEmails).set({ outcome, detail }).where(eq(reminderEmails.messageId, messageId));
}

/** A period's reminders, newest first. */
export async function listPeriodReminders(
  db: Database,
  periodId: number,
  limit: number,
): Promise<ReminderEmailRow[]> {
  return db
    .select()
    .from(reminderEmails)
    .where(eq(reminderEmails.periodId, periodId))
    .orderBy(desc(reminderEmails.createdAt), desc(reminderEmails.id))
    .limit(limit);
}
