import { redactText } from '../privacy/index.js';
import type { Json } from '../storage/index.js';
import { MAX_PROP_KEYS, MAX_PROP_STRING_LENGTH } from './limits.js';

/** A prop key: an identifier of at most 64 characters (`destination_count`, `sectionId`). */
const PROP_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Checked props, or why they are refused (`field` is relative to the event, e.g. `props.notes`). */
export type PropsResult =
  | { ok: true; props: { [key: string]: Json } }
  | { ok: false; field: string; message: string };

/**
 * Checks an event's props against the browser SDK's bounds (a flat object of at most 50 keys;
 * values string, finite number, boolean or null; strings at most 500 characters) and redacts
 * every string value with `redactText`, so no e-mail address, phone number, URL, … is stored.
 * Absent props are `{}`.
 *
 * @example
 * checkProps({ section_id: 'mail me at a@b.example' }); // { ok: true, props: { section_id: 'mail me at [email]' } }
 */
export function checkProps(value: unknown): PropsResult {
  if (value === undefined) return { ok: true, props: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      field: 'props',
      message: 'must be an object of string, number, boolean or null values',
    };
  const entries = Object.entries(value);
  if (entries.length > MAX_PROP_KEYS)
    return { ok: false, field: 'props', message: `has ${entries.length} keys; at most ${MAX_PROP_KEYS}` };
  const props: { [key: string]: Json } = {};
  for (const [key, raw] of entries) {
    if (!PROP_KEY.test(key))
      return {
        ok: false,
        field: 'props',
        message: `key ${JSON.stringify(key.slice(0, 70))} is not an identifier`,
      };
    const field = `props.${key}`;
    if (typeof raw === 'string') {
      if (raw.length > MAX_PROP_STRING_LENGTH)
        return { ok: false, field, message: `is longer than ${MAX_PROP_STRING_LENGTH} characters` };
      props[key] = redactText(raw, { maxLength: MAX_PROP_STRING_LENGTH }).text;
    } else if (
      raw === null ||
      typeof raw === 'boolean' ||
      (typeof raw === 'number' && Number.isFinite(raw))
    ) {
      props[key] = raw;
    } else {
      return { ok: false, field, message: 'must be a string, a finite number, a boolean or null' };
    }
  }
  return { ok: true, props };
}
