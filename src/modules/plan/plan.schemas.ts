import { z } from "zod";
import { RATINGS, type RatingKey } from "../../domain/ratings.ts";

const RATING_KEYS = RATINGS.map((rating) => rating.key) as [RatingKey, ...RatingKey[]];

/** A reporting quarter as a form or address gives it: "2020-21-q3". */
export const QUARTER_PATTERN = /^(\d{4})-(\d{2})-q([1-4])$/;

export interface ReportingQuarter {
  /** As the council writes it: "2020/21". */
  financialYear: string;
  quarter: number;
}

export function parseQuarter(value: unknown): ReportingQuarter | null {
  if (typeof value !== "string") return null;
  const match = QUARTER_PATTERN.exec(value.trim());
  if (match === null) return null;
  const start = Number(match[1]);
  if ((start + 1) % 100 !== Number(match[2])) return null;
  return { financialYear: `${match[1]}/${match[2]}`, quarter: Number(match[3]) };
}

export function quarterValue(quarter: ReportingQuarter): string {
  return `${quarter.financialYear.replace("/", "-")}-q${quarter.quarter}`;
}

export function quarterLabel(quarter: ReportingQuarter): string {
  return `Quarter ${quarter.quarter} ${quarter.financialYear}`;
}

export const progressForm = z.object({
  quarter: z
    .string({ message: "Select the quarter this progress is for" })
    .refine((value) => parseQuarter(value) !== null, { message: "Select the quarter this progress is for" }),
  rating: z.enum(RATING_KEYS, {
    message: "Select a rating from the key: Strong, Good, Review, Action or Data not available",
  }),
  narrative: z
    .string({ message: "Enter the progress narrative" })
    .trim()
    .min(1, { message: "Enter the progress narrative: say what has been done and what is next" })
    .max(10_000, { message: "The progress narrative must be 10,000 characters or fewer" }),
});

export type ProgressForm = z.infer<typeof progressForm>;
