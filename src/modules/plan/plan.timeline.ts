import { formatPlanMonth } from "../../domain/plan-dates.ts";
import type { Plan, StrategicObjective, SupportingActivity } from "./plan.repository.ts";

/**
 * The Base Plan as a picture: the financial year's months across, each objective and activity a
 * bar with its words on it. Pure layout from data, so the SVG can be drawn on the server.
 */

export const TIMELINE_WIDTH = 960;
const LABEL_WIDTH = 0;
const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
const MAX_LABEL_CHARACTERS = 118;
/** Roughly how wide a character of 12px Arial is, to keep labels inside the picture. */
const CHARACTER_WIDTH = 6.4;

export interface TimelineMonth {
  month: string;
  label: string;
  x: number;
  width: number;
}

export interface TimelineBar {
  kind: "objective" | "activity";
  depth: number;
  label: string;
  fullText: string;
  x: number;
  y: number;
  width: number;
  /** True when the plan gives no months, so the bar spans the year and says so. */
  monthsNotGiven: boolean;
  startLabel: string;
  endLabel: string;
  /** Where the words go: inside from the bar's start, or ending at the bar's end when they would run off the picture. */
  labelX: number;
  labelAnchor: "start" | "end";
}

export interface Timeline {
  width: number;
  height: number;
  months: TimelineMonth[];
  bars: TimelineBar[];
  /** How many activities have no months in the plan. */
  activitiesWithoutMonths: number;
  activityCount: number;
  yearLabel: string;
}

type ObjectiveWithActivities = StrategicObjective & {
  activities: (SupportingActivity & { children: SupportingActivity[] })[];
};

function monthsOfFinancialYear(fromYear: number): string[] {
  return Array.from({ length: 12 }, (_, index) => {
    const month = ((index + 3) % 12) + 1;
    const year = index < 9 ? fromYear : fromYear + 1;
    return `${year}-${String(month).padStart(2, "0")}`;
  });
}

function shorten(text: string, most = MAX_LABEL_CHARACTERS): string {
  return text.length > most ? `${text.slice(0, most - 1).trimEnd()}…` : text;
}

/**
 * Words inside the bar when they fit; otherwise beside it, after or before, on the side with
 * room; when neither side has room, shortened to the roomier side. The full words are in the
 * text version and the table.
 */
export function placeLabel(
  words: string,
  suffix: string,
  x: number,
  width: number,
): { label: string; labelX: number; labelAnchor: "start" | "end" } {
  const gap = 6;
  const text = words + suffix;
  const needed = text.length * CHARACTER_WIDTH;
  if (needed + 2 * gap <= width) return { label: text, labelX: x + gap, labelAnchor: "start" };
  const after = TIMELINE_WIDTH - (x + width) - 2 * gap;
  const before = x - 2 * gap;
  if (needed <= after) return { label: text, labelX: x + width + gap, labelAnchor: "start" };
  if (needed <= before) return { label: text, labelX: x - gap, labelAnchor: "end" };
  const room = Math.max(after, before, width - 2 * gap);
  // Shorten the words, never the months.
  const label = shorten(words, Math.max(8, Math.floor(room / CHARACTER_WIDTH) - suffix.length)) + suffix;
  if (room === width - 2 * gap) return { label, labelX: x + gap, labelAnchor: "start" };
  return room === after
    ? { label, labelX: x + width + gap, labelAnchor: "start" }
    : { label, labelX: x - gap, labelAnchor: "end" };
}

export function basePlanTimeline(plan: Plan, objectives: ObjectiveWithActivities[]): Timeline {
  const months = monthsOfFinancialYear(plan.fromYear);
  const monthWidth = (TIMELINE_WIDTH - LABEL_WIDTH) / 12;
  const first = months[0] ?? "";
  const last = months[11] ?? "";
  const monthsLayout = months.map((month, index) => ({
    month,
    label: formatPlanMonth(month).slice(0, 3),
    x: LABEL_WIDTH + index * monthWidth,
    width: monthWidth,
  }));
  const bars: TimelineBar[] = [];
  let activitiesWithoutMonths = 0;
  let activityCount = 0;
  const place = (
    kind: TimelineBar["kind"],
    depth: number,
    text: string,
    start: string | null,
    end: string | null,
  ) => {
    const monthsNotGiven = start === null || end === null;
    const startIndex = monthsNotGiven ? 0 : Math.max(0, months.indexOf(start));
    const endIndex = monthsNotGiven
      ? 11
      : Math.max(startIndex, months.indexOf(end) === -1 ? 11 : months.indexOf(end));
    const indent = depth * 16;
    const x = LABEL_WIDTH + startIndex * monthWidth + indent;
    const width = (endIndex - startIndex + 1) * monthWidth - indent;
    const short = (index: number) => {
      const words = formatPlanMonth(months[index] ?? first).split(" ");
      return `${(words[0] ?? "").slice(0, 3)} ${words[1] ?? ""}`;
    };
    const suffix =
      kind === "objective"
        ? ""
        : monthsNotGiven
          ? " (months not given)"
          : ` (${short(startIndex)} to ${short(endIndex)})`;
    const { label, labelX, labelAnchor } = placeLabel(
      shorten(text, MAX_LABEL_CHARACTERS - suffix.length),
      suffix,
      x,
      width,
    );
    bars.push({
      kind,
      depth,
      label,
      fullText: text,
      x,
      y: HEADER_HEIGHT + bars.length * ROW_HEIGHT,
      width,
      labelX,
      labelAnchor,
      monthsNotGiven,
      startLabel: formatPlanMonth(monthsNotGiven ? first : (months[startIndex] ?? first)),
      endLabel: formatPlanMonth(monthsNotGiven ? last : (months[endIndex] ?? last)),
    });
  };
  for (const objective of objectives) {
    // An objective spans its activities; with no months anywhere it spans the year.
    // An objective spans its activities when every one has months; otherwise the year.
    const own = objective.activities.flatMap((activity) => [activity, ...activity.children]);
    const dated = own.length > 0 && own.every((a) => a.startMonth !== null && a.endMonth !== null);
    const starts = own.flatMap((a) => (a.startMonth ? [a.startMonth] : [])).sort();
    const ends = own.flatMap((a) => (a.endMonth ? [a.endMonth] : [])).sort();
    place(
      "objective",
      0,
      `Objective ${objective.number}: ${objective.title}`,
      dated ? (starts[0] ?? null) : null,
      dated ? (ends.at(-1) ?? null) : null,
    );
    for (const activity of objective.activities) {
      activityCount += 1;
      if (activity.startMonth === null || activity.endMonth === null) activitiesWithoutMonths += 1;
      place("activity", 1, activity.text, activity.startMonth, activity.endMonth);
      for (const child of activity.children) {
        activityCount += 1;
        if (child.startMonth === null || child.endMonth === null) activitiesWithoutMonths += 1;
        place("activity", 2, child.text, child.startMonth, child.endMonth);
      }
    }
  }
  return {
    width: TIMELINE_WIDTH,
    height: HEADER_HEIGHT + bars.length * ROW_HEIGHT + 4,
    months: monthsLayout,
    bars,
    activitiesWithoutMonths,
    activityCount,
    yearLabel: `${formatPlanMonth(first)} to ${formatPlanMonth(last)}`,
  };
}
