/** `0.953` → `95.3 %`; `null` → `–`. */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)} %`;
}

/** `12345` → `12,345`. */
export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : Math.round(value).toLocaleString('en-US');
}

/** A duration in ms as `850 ms`, `12.4 s` or `2.1 min`. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 120_000) return `${(value / 1000).toFixed(1)} s`;
  return `${(value / 60_000).toFixed(1)} min`;
}

/** A plain number with `digits` decimals. */
export function num(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** An ISO time as a short UTC label: `Nov 24 13:00` or `Nov 24`. */
export function timeLabel(iso: string, withHour: boolean): string {
  const d = new Date(iso);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = d.getUTCDate();
  return withHour ? `${month} ${day} ${String(d.getUTCHours()).padStart(2, '0')}:00` : `${month} ${day}`;
}

/** A figure as the dashboard shows it: its text and tooltip, or `—` and why it is unknown. */
export interface Figure {
  text: string;
  hint: string;
  /** The reason the figure cannot be known (the answer's `unavailable` entry), if so. */
  unknown: string | undefined;
}

/**
 * `text` and `hint`, unless the answer lists the figure as unavailable: then `—` (unknown,
 * which a 0 or `–` for "nothing to divide" would hide) with the reason in the tooltip.
 *
 * @example
 * figure(num(s.sessions.attemptsPerAnonSession), 'attempts per session', s.unavailable['sessions.attemptsPerAnonSession']);
 * // { text: '—', hint: 'attempts per session — unknown: raw rows purged by retention', unknown: '…' }
 */
export function figure(text: string, hint: string, reason: string | undefined): Figure {
  return reason === undefined
    ? { text, hint, unknown: undefined }
    : { text: '—', hint: `${hint} — unknown: ${reason}`, unknown: reason };
}
