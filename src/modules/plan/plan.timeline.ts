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
const CHARACTER_WIDTH = 6.2;

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
    const suffix = kind === "activity" && monthsNotGiven ? " (months not given)" : "";
    const label = shorten(text, MAX_LABEL_CHARACTERS - suffix.length) + suffix;
    const runsOff = x + 6 + label.length * CHARACTER_WIDTH > TIMELINE_WIDTH;
    bars.push({
      kind,
      depth,
      label,
      fullText: text,
      x,
      y: HEADER_HEIGHT + bars.length * ROW_HEIGHT,
      width,
      labelX: runsOff ? x + width - 6 : x + 6,
      labelAnchor: runsOff ? "end" : "start",
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
