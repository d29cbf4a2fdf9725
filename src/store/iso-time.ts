const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on `toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** The day of the last time formatted, and its `YYYY-MM-DDT` text. */
let day = Number.NaN;
let dayText = '';

/**
 * `date.toISOString()`, faster for times of one day: the date part is formatted once per UTC day,
 * the time of day by arithmetic. Every timestamp the write path stores goes through it (three per
 * attempt: its row and its two events). Times before 1970 or from the year 10000 on (and invalid
 * dates) go to `toISOString` itself.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const d = Math.floor(ms / DAY_MS);
  if (d !== day) {
    dayText = date.toISOString().slice(0, 11);
    day = d;
  }
  const t = ms - d * DAY_MS;
  const seconds = Math.floor(t / 1000);
  return `${dayText}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${three(t % 1000)}Z`;
}
