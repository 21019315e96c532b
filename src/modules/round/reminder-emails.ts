import type { ReminderReason } from "../../domain/reminders.ts";

/**
 * The words of reminder emails, plain text and HTML, from what the reminder is about. Pure: the
 * service gathers the facts (the council's and department's names, the items) and sends.
 */

export interface ReminderLine {
  periodLabel: string;
  kind: "deliverable" | "measure";
  title: string;
  stateWords: string;
  /** Its due date, written out ("14 October 2031"), or null when none is set. */
  due: string | null;
  /** Why this reminder goes now; null for an item only listed in a digest. */
  reasons: ReminderReason[];
  /** The reviewer's comment, for a returned item. */
  comment: string | null;
}

export interface ReminderLetter {
  councilName: string;
  department: string;
  personName: string;
  myUpdatesUrl: string;
  /** One item (one email per item) or every outstanding item (a daily digest). */
  digest: boolean;
  lines: ReminderLine[];
}

const KIND_WORDS = { deliverable: "deliverable", measure: "measure" } as const;

function why(line: ReminderLine): string[] {
  const sentences: string[] = [];
  for (const reason of line.reasons) {
    if (reason === "returned") {
      sentences.push(
        line.comment
          ? `A reviewer returned it with this comment: "${line.comment}"`
          : "A reviewer returned it to you.",
      );
    } else if (reason === "overdue") {
      sentences.push(`It was due on ${line.due} and is overdue.`);
    } else if (reason === "due-soon") {
      sentences.push(`It is due on ${line.due}.`);
    } else {
      sentences.push(line.due ? `It is still outstanding (due on ${line.due}).` : "It is still outstanding.");
    }
  }
  if (sentences.length === 0 && line.due) sentences.push(`Due on ${line.due}.`);
  return sentences;
}

export function reminderSubject(letter: ReminderLetter): string {
  const [line] = letter.lines;
  if (letter.digest || !line) {
    const count = letter.lines.length;
    return `${letter.department}: ${count} update${count === 1 ? "" : "s"} waiting for you`;
  }
  const reasons = line.reasons;
  const what = reasons.includes("returned")
    ? "was returned to you"
    : reasons.includes("overdue")
      ? "is overdue"
      : reasons.includes("due-soon")
        ? `is due on ${line.due}`
        : "is waiting for you";
  return `${letter.department}: your update on "${line.title}" ${what}`;
}

function lineText(line: ReminderLine): string {
  return [
    `${line.periodLabel}, ${KIND_WORDS[line.kind]}: ${line.title}`,
    `Where it stands: ${line.stateWords}.`,
    ...why(line),
  ].join("\n");
}

export function reminderText(letter: ReminderLetter): string {
  const intro = letter.digest
    ? `These are your updates for ${letter.department}, ${letter.councilName}, that are still waiting for you:`
    : `${letter.department}, ${letter.councilName}, is waiting for your update:`;
  return [
    `Dear ${letter.personName},`,
    "",
    intro,
    "",
    letter.lines.map(lineText).join("\n\n"),
    "",
    `Record and submit your updates on My updates: ${letter.myUpdatesUrl}`,
    "",
    letter.digest
      ? "You get one email a day listing your updates. You can choose one email per update instead on My updates."
      : "You can choose one email a day listing all your updates instead, on My updates.",
  ].join("\n");
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function reminderHtml(letter: ReminderLetter): string {
  const e = escapeHtml;
  const items = letter.lines
    .map(
      (line) =>
        `<li><p><strong>${e(line.title)}</strong> (${e(line.periodLabel)}, ${KIND_WORDS[line.kind]})<br>Where it stands: ${e(line.stateWords)}.</p>${why(
          line,
        )
          .map((sentence) => `<p>${e(sentence)}</p>`)
          .join("")}</li>`,
    )
    .join("");
  const intro = letter.digest
    ? `These are your updates for ${e(letter.department)}, ${e(letter.councilName)}, that are still waiting for you:`
    : `${e(letter.department)}, ${e(letter.councilName)}, is waiting for your update:`;
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${e(reminderSubject(letter))}</title></head><body style="font-family: Arial, sans-serif; font-size: 16px;"><p>Dear ${e(letter.personName)},</p><p>${intro}</p><ul>${items}</ul><p><a href="${e(letter.myUpdatesUrl)}">Record and submit your updates on My updates</a></p></body></html>`;
}
