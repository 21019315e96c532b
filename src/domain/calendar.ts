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

/** A date written "2026-06-01" (the Department's next-update dates) as "June 2026"; null otherwise. */
export function monthAndYear(isoDate: string | null): string | null {
  const parts = /^(\d{4})-(\d{2})-\d{2}$/.exec(isoDate ?? "");
  const month = parts ? monthName(Number(parts[2])) : undefined;
  return parts && month ? `${month} ${parts[1]}` : null;
}
