/**
 * The update round's due dates: when a period's items are due by default, and whether an item is
 * overdue. Dates are ISO dates ("2033-10-14"), compared as text, which orders them correctly.
 */

import type { IsoDate } from "./periods.ts";

/** A period's round items are due this many days after its last day unless a performance officer sets another date. */
export const ROUND_DUE_DAYS_AFTER_PERIOD = 14;

/** An ISO date `days` later (or earlier, when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** When a period's round items are due by default: ROUND_DUE_DAYS_AFTER_PERIOD after it ends. */
export function defaultRoundDueOn(periodEnd: IsoDate): IsoDate {
  return addDays(periodEnd, ROUND_DUE_DAYS_AFTER_PERIOD);
}

/** The round states in which an item still waits for its owner. */
const WAITING_FOR_OWNER = new Set(["not-started", "draft", "returned"]);

/** Whether an item is overdue: still with its owner (not started, draft or returned) after its due date. */
export function isOverdue(dueOn: IsoDate | null, state: string, today: IsoDate): boolean {
  return dueOn !== null && WAITING_FOR_OWNER.has(state) && today > dueOn;
}

/** Whether an item is still with its owner: what reminders are about. */
export function waitingForOwner(state: string): boolean {
  return WAITING_FOR_OWNER.has(state);
}

/** Today's date in the UK, as an ISO date. */
export function ukToday(now: Date = new Date()): IsoDate {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now);
}
