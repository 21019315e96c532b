import { randomUUID } from "node:crypto";
import type { Database } from "../../db/client.ts";
import { ownsByName } from "../../domain/ownership.ts";
import { type MonitoringPeriod, monitoringPeriodLabel } from "../../domain/periods.ts";
import { type ReminderDue, type ReminderRun, remindersDue } from "../../domain/reminders.ts";
import { ukToday, waitingForOwner } from "../../domain/round-dates.ts";
import { NotFound } from "../../errors.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { actingPerson } from "../people/ownership.service.ts";
import { listPeriods, monitoredOrganisation, type PeriodState } from "../periods/periods.service.ts";
import type { Mailer } from "./mailer.ts";
import {
  type ReminderLetter,
  type ReminderLine,
  reminderHtml,
  reminderSubject,
  reminderText,
} from "./reminder-emails.ts";
import * as repository from "./reminders.repository.ts";
import { periodRound, type RoundItem, type RoundKind } from "./round.service.ts";

/**
 * Email reminders of the update round (docs/update-round.md#email-reminders). One function sends
 * them for the daily run (`baseplan send-reminders`), a performance officer's "remind all
 * outstanding", and a reviewer's return: each owner gets their own items, by email, as one email
 * per item or, if they chose it, one daily digest listing everything still with them. Each
 * reminder is claimed in `reminder_emails` before it is sent and given the SMTP server's answer
 * after, so the same reminder is never sent twice and a failure is kept to be seen (and tried
 * again on the next run).
 */

export interface ReminderRunOptions {
  actor: string;
  run: ReminderRun;
  /** Reminders go this many days before an item's due date. */
  daysBefore: number;
  /** Only this period (else every period open for entry and not signed off). */
  period?: MonitoringPeriod;
  /** Only this item (a reviewer has just returned it). */
  item?: { kind: RoundKind; id: number };
  today?: string;
}

export type ReminderRunResult =
  | { configured: false }
  | {
      configured: true;
      /** Emails handed to the SMTP server and accepted, and those it refused or could not take. */
      sent: number;
      failed: number;
      /** Items due a reminder whose owners are nobody with an account, by title. */
      nobodyToEmail: string[];
    };

const dateWords = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

function dueWords(dueOn: string | null): string | null {
  return dueOn ? dateWords.format(new Date(`${dueOn}T00:00:00Z`)) : null;
}

interface Trigger {
  state: PeriodState;
  item: RoundItem;
  dues: ReminderDue[];
}

interface Recipient {
  person: { id: number; email: string; displayName: string };
  triggers: Trigger[];
  /** Every item still with them, for a digest. */
  outstanding: { state: PeriodState; item: RoundItem }[];
}

export async function sendReminders(
  db: Database,
  mailer: Mailer | undefined,
  options: ReminderRunOptions,
): Promise<ReminderRunResult> {
  if (!mailer) return { configured: false };
  const today = options.today ?? ukToday();
  const organisation = await monitoredOrganisation(db);
  if (!organisation) return { configured: true, sent: 0, failed: 0, nobodyToEmail: [] };
  const periods = (await listPeriods(db)).filter(
    (state) =>
      state.status === "open" &&
      !state.locked &&
      (!options.period || monitoringPeriodLabel(options.period) === state.label),
  );
  if (options.period && periods.length === 0) {
    const known = (await listPeriods(db)).some(
      (state) => state.label === monitoringPeriodLabel(options.period as MonitoringPeriod),
    );
    if (!known) throw new NotFound(monitoringPeriodLabel(options.period));
  }
  const everyone = await repository.listActivePeople(db, organisation.councilId);
  const digestIds = await repository.listDigestPersonIds(db);
  const recipients = new Map<number, Recipient>();
  const nobodyToEmail: string[] = [];
  for (const state of periods) {
    const { items } = await periodRound(db, state.period, today);
    for (const item of items) {
      if (!waitingForOwner(item.state)) continue;
      const owners = everyone.filter((person) => ownsByName(person.displayName, item.owners));
      const chosen = !options.item || (options.item.kind === item.kind && options.item.id === item.id);
      const dues = chosen ? remindersDue(item, today, options.daysBefore, options.run) : [];
      if (dues.length > 0 && owners.length === 0) nobodyToEmail.push(item.title);
      for (const person of owners) {
        const recipient = recipients.get(person.id) ?? { person, triggers: [], outstanding: [] };
        recipients.set(person.id, recipient);
        recipient.outstanding.push({ state, item });
        if (dues.length > 0) recipient.triggers.push({ state, item, dues });
      }
    }
  }

  let sent = 0;
  let failed = 0;
  const sentByPeriod = new Map<number, { state: PeriodState; sent: number; failed: number }>();
  // A performance officer's "remind all outstanding" is in the period's history even when it sent nothing.
  if (options.run === "all-outstanding") {
    for (const state of periods) sentByPeriod.set(state.id, { state, sent: 0, failed: 0 });
  }
  for (const recipient of recipients.values()) {
    if (recipient.triggers.length === 0) continue;
    const digest = digestIds.has(recipient.person.id);
    // A return goes at once, alone, with the reviewer's comment; the rest by item or in a digest.
    const alone = digest
      ? recipient.triggers.filter((t) => t.dues.some((due) => due.reason === "returned"))
      : recipient.triggers;
    const messages: { digest: boolean; triggers: Trigger[] }[] = alone.map((trigger) => ({
      digest: false,
      triggers: [trigger],
    }));
    const rest = recipient.triggers.filter((trigger) => !alone.includes(trigger));
    if (rest.length > 0) messages.push({ digest: true, triggers: rest });

    for (const message of messages) {
      const messageId = randomUUID();
      const claimed = await repository.claimReminders(
        db,
        message.triggers.flatMap((trigger) =>
          trigger.dues.map((due) => ({
            messageId,
            periodId: trigger.state.id,
            personId: recipient.person.id,
            recipient: recipient.person.email,
            itemKind: trigger.item.kind,
            itemId: trigger.item.id,
            itemTitle: trigger.item.title,
            reason: due.reason,
            occasion: due.occasion,
            digest: message.digest,
            sentOn: today,
            createdBy: options.actor,
          })),
        ),
      );
      if (claimed.length === 0) continue;
      const reasonsOf = (state: PeriodState, item: RoundItem) =>
        claimed
          .filter((row) => row.periodId === state.id && row.itemKind === item.kind && row.itemId === item.id)
          .map((row) => row.reason);
      const line = (state: PeriodState, item: RoundItem): ReminderLine => ({
        periodLabel: state.label,
        kind: item.kind,
        title: item.title,
        stateWords: item.stateWords,
        due: dueWords(item.dueOn),
        reasons: reasonsOf(state, item),
        comment: item.state === "returned" ? item.comment : null,
      });
      const lines = message.digest
        ? recipient.outstanding
            .filter(({ item }) => !alone.some((trigger) => trigger.item === item))
            .map(({ state, item }) => line(state, item))
        : message.triggers.map(({ state, item }) => line(state, item));
      const letter: ReminderLetter = {
        councilName: organisation.councilName,
        department: organisation.department,
        personName: recipient.person.displayName,
        myUpdatesUrl: `${mailer.baseUrl}/my-updates`,
        digest: message.digest,
        lines,
      };
      const outcome = await mailer.send({
        to: recipient.person.email,
        fromName: organisation.councilName,
        subject: reminderSubject(letter),
        text: reminderText(letter),
        html: reminderHtml(letter),
      });
      await repository.recordOutcome(db, messageId, outcome.ok ? "sent" : "failed", outcome.detail);
      if (outcome.ok) sent += 1;
      else failed += 1;
      const first = message.triggers[0];
      if (first) {
        const tally = sentByPeriod.get(first.state.id) ?? { state: first.state, sent: 0, failed: 0 };
        sentByPeriod.set(first.state.id, tally);
        if (outcome.ok) tally.sent += 1;
        else tally.failed += 1;
      }
    }
  }
  for (const { state, sent: periodSent, failed: periodFailed } of sentByPeriod.values()) {
    await recordAuditEvent(db, {
      actor: options.actor,
      action: "remind",
      entityType: "monitoring-period",
      entityId: state.key,
      period: state.key,
      summary: `${options.run === "all-outstanding" ? "Reminded everyone with outstanding updates: sent" : "Sent"} ${periodSent} reminder email${periodSent === 1 ? "" : "s"} about the ${state.label} update round${periodFailed > 0 ? `; ${periodFailed} could not be sent` : ""}`,
      after: { run: options.run, sent: periodSent, failed: periodFailed },
    });
  }
  return { configured: true, sent, failed, nobodyToEmail: [...new Set(nobodyToEmail)] };
}

export interface SentReminder {
  at: Date;
  recipient: string;
  digest: boolean;
  items: { title: string; reason: string }[];
  outcome: "sending" | "sent" | "failed";
  outcomeWords: string;
  detail: string | null;
}

const REASON_WORDS: Record<string, string> = {
  "due-soon": "due soon",
  overdue: "overdue",
  returned: "returned",
  outstanding: "outstanding",
};

const OUTCOME_WORDS = { sending: "Being sent", sent: "Sent", failed: "Not sent" } as const;

/** The reminders sent about a period's round, newest first, one entry per email. */
export async function periodReminders(
  db: Database,
  state: PeriodState,
  limit = 200,
): Promise<SentReminder[]> {
  const rows = await repository.listPeriodReminders(db, state.id, limit);
  const emails = new Map<string, SentReminder>();
  for (const row of rows) {
    const email = emails.get(row.messageId) ?? {
      at: row.createdAt,
      recipient: row.recipient,
      digest: row.digest,
      items: [],
      outcome: row.outcome,
      outcomeWords: OUTCOME_WORDS[row.outcome],
      detail: row.detail,
    };
    emails.set(row.messageId, email);
    email.items.push({ title: row.itemTitle, reason: REASON_WORDS[row.reason] ?? row.reason });
  }
  return [...emails.values()];
}

/** Whether the acting person gets one daily digest; null when the actor is not a person of Baseplan. */
export async function digestPreference(db: Database, actor: string): Promise<boolean | null> {
  const person = await actingPerson(db, actor);
  if (!person) return null;
  return (await repository.findPreference(db, person.id))?.dailyDigest ?? false;
}

/** The acting person chooses one email per item or one daily digest; audited on their record. */
export async function chooseDigest(db: Database, actor: string, dailyDigest: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const person = await actingPerson(tx, actor);
    if (!person) throw new NotFound("Your account");
    const before = (await repository.findPreference(tx, person.id))?.dailyDigest ?? false;
    await repository.savePreference(tx, person.id, dailyDigest, actor);
    await recordAuditEvent(tx, {
      actor,
      action: "update",
      entityType: "person",
      entityId: person.id,
      summary: `${person.displayName} chose ${dailyDigest ? "one email a day listing all their updates" : "one email per update"} for reminders`,
      before: { dailyDigest: before },
      after: { dailyDigest },
    });
  });
}
