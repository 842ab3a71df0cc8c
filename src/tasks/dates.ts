// Proleptic Gregorian calendar arithmetic on whole days, for the date
// questions: day numbers relative to 1970-01-01, days between two dates,
// weekdays and English date phrases.

export type CivilDate = { year: number; month: number; day: number };

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * Day number of a date: 0 for 1970-01-01, negative before it.
 * Counts 400-year eras (146,097 days each) from a year that starts in March,
 * so the leap day is the last day of its year.
 */
export function dayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** English weekday name of a date (1970-01-01 was a Thursday). */
export function weekdayName(date: CivilDate): (typeof WEEKDAYS)[number] {
  const n = dayNumber(date);
  return WEEKDAYS[(((n + 4) % 7) + 7) % 7]!;
}

/** "14 March 1893". */
export function formatDate({ year, month, day }: CivilDate): string {
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
