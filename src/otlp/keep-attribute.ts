import { type KeptAttributes, type KeptKind, MAX_KEPT_STRING, MAX_KEPT_STRINGS } from './allowlist.js';

/** A scalar read from an `AnyValue`, or a list of them; undefined when the value has another shape. */
export type ReadValue = string | number | boolean | ReadValue[] | undefined;

/**
 * Stores `value` under `key` in `into` when it has the key's kind, and says whether it did; a
 * value of the wrong kind, a long string or a non-integral count is refused (and so dropped).
 */
export function keepAttribute(into: KeptAttributes, key: string, kind: KeptKind, value: ReadValue): boolean {
  const target = into as Record<string, unknown>;
  switch (kind) {
    case 'string':
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_KEPT_STRING) return false;
      target[key] = value;
      return true;
    case 'int':
      if (!Number.isSafeInteger(value) || (value as number) < 0) return false;
      target[key] = value;
      return true;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return false;
      target[key] = value;
      return true;
    case 'strings': {
      if (!Array.isArray(value) || value.length > MAX_KEPT_STRINGS) return false;
      const ok = value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_KEPT_STRING);
      if (!ok) return false;
      target[key] = value as string[];
      return true;
    }
  }
}
