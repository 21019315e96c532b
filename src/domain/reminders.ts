/**
 * Which email reminders an item of the update round is due (docs/update-round.md#email-reminders).
 * An item still with its owner (not started, draft or returned) gets:
 * - "due-soon": once per due date, from `daysBefore` days before it until the day itself;
 * - "overdue": once per due date, after it has passed;
 * - "returned": once each time a reviewer returns it (the round item's version names the return);
 * - "outstanding": at most once a day, when a performance officer reminds everyone outstanding.
 * The occasion is what makes a reminder the same one: the store keeps one per person, item,
 * reason and occasion, so running the sender twice sends nothing new.
 */

import type { IsoDate } from "./periods.ts";
import { addDays, waitingForOwner } from "./round-dates.ts";

export type ReminderReason = "due-soon" | "overdue" | "returned" | "outstanding";

/** "daily": what the daily run sends; "all-outstanding": the one-off reminder of everything still with its owner. */
export type ReminderRun = "daily" | "all-outstanding";

export interface ReminderDue {
  reason: ReminderReason;
  occasion: string;
}

export interface RemindableItem {
  state: string;
  dueOn: IsoDate | null;
  /** The round item's version (0 before its first submission). */
  version: number;
}

export function remindersDue(
  item: RemindableItem,
  today: IsoDate,
  daysBefore: number,
  run: ReminderRun,
): ReminderDue[] {
  if (!waitingForOwner(item.state)) return [];
  if (run === "all-outstanding") return [{ reason: "outstanding", occasion: today }];
  const due: ReminderDue[] = [];
  if (item.state === "returned") due.push({ reason: "returned", occasion: `return-${item.version}` });
  if (item.dueOn !== null) {
    if (today > item.dueOn) due.push({ reason: "overdue", occasion: item.dueOn });
    else if (today >= addDays(item.dueOn, -daysBefore))
      due.push({ reason: "due-soon", occasion: item.dueOn });
  }
  return due;
}
