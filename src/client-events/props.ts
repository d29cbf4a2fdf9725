import { redactText } from '../privacy/index.js';
import type { Json } from '../storage/index.js';
import { MAX_PROP_KEYS, MAX_PROP_STRING_LENGTH } from './limits.js';

/** A prop key: an identifier of at most 64 characters (`destination_count`, `sectionId`). */
const PROP_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** How large an event's props may be. */
export interface PropBounds {
  /** Most keys. */
  readonly maxKeys: number;
  /** Longest string value, in UTF-16 code units (before redaction). */
  readonly maxStringLength: number;
}

/** The browser SDK's bounds (Umami's): the events of the default catalog. */
export const SDK_PROP_BOUNDS: PropBounds = Object.freeze({
  maxKeys: MAX_PROP_KEYS,
  maxStringLength: MAX_PROP_STRING_LENGTH,
});

/**
 * The bounds of an event accepted by its prefix only, whose payload nothing on the server
 * declares: a few keys of short values (a provider, a model, a mode, a count), room for labels
 * but not for free text such as notes.
 */
export const EXTENSION_PROP_BOUNDS: PropBounds = Object.freeze({ maxKeys: 20, maxStringLength: 100 });

/** Checked props, or why they are refused (`field` is relative to the event, e.g. `props.notes`). */
export type PropsResult =
  | { ok: true; props: { [key: string]: Json } }
  | { ok: false; field: string; message: string };

/**
 * Checks an event's props against `bounds` (by default the browser SDK's: a flat object of at most
 * 50 keys; values string, finite number, boolean or null; strings at most 500 characters) and
 * redacts every string value with `redactText`, so no e-mail address, phone number, URL, … is
 * stored. Absent props are `{}`.
 *
 * @example
 * checkProps({ section_id: 'mail me at a@b.example' }); // { ok: true, props: { section_id: 'mail me at [email]' } }
 */
export function checkProps(value: unknown, bounds: PropBounds = SDK_PROP_BOUNDS): PropsResult {
  if (value === undefined) return { ok: true, props: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      field: 'props',
      message: 'must be an object of string, number, boolean or null values',
    };
  const entries = Object.entries(value);
  if (entries.length > bounds.maxKeys)
    return { ok: false, field: 'props', message: `has ${entries.length} keys; at most ${bounds.maxKeys}` };
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
      if (raw.length > bounds.maxStringLength)
        return { ok: false, field, message: `is longer than ${bounds.maxStringLength} characters` };
      props[key] = redactText(raw, { maxLength: bounds.maxStringLength }).text;
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
