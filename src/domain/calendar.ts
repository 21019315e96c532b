/** Month names as GOV.UK and the council write them, January first. */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** "March" for 3; undefined outside 1-12. */
export function monthName(month: number): string | undefined {
  return MONTH_NAMES[month - 1];
}
