/** The code of an error for logs (SQLSTATE, errno, HTTP status), never its data. */
export function errorCodeOf(error: unknown): string {
  const e = error as { code?: unknown; causeCode?: unknown; name?: unknown };
  if (typeof e?.causeCode === 'string') return e.causeCode;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.name === 'string' ? e.name : 'unknown';
}

/** Stable error codes are UPPER_SNAKE identifiers, e.g. `PROMPT_TOO_LONG` (at most 64 characters). */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Longest stored error code. */
export const ERROR_CODE_MAX_LENGTH = 64;

/** Longest error code accepted before normalisation (what `fail()` and `/v1/events` take). */
export const RAW_ERROR_CODE_MAX_LENGTH = 1_000;

/** The code stored for a raw code with no letter or digit in it (`''`, `'!!'`). */
export const EMPTY_ERROR_CODE = 'UNKNOWN_ERROR';

/** A stored error class: the raw code's identifier characters, at most 64 (`TypeError`, `some-thing`). */
export const ERROR_CLASS_PATTERN = /^[A-Za-z0-9_.:$-]{1,64}$/;

/** True when `s` is a well-formed error code (see {@link ERROR_CODE_PATTERN}). */
export function isErrorCode(s: unknown): s is string {
  return typeof s === 'string' && s.length <= ERROR_CODE_MAX_LENGTH && ERROR_CODE_PATTERN.test(s);
}

/** An error code as stored, and the class it was normalised from. */
export interface NormalisedErrorCode {
  /** UPPER_SNAKE, 1–64 characters. */
  code: string;
  /**
   * The raw code when it was not already a stored code (`TypeError` for `TYPE_ERROR`), cut to 64
   * characters, every character outside `A–Z a–z 0–9 _ . : $ -` replaced by `_`: a class name, not
   * free text. `undefined` when the raw code was stored as it came.
   */
  errorClass: string | undefined;
}

/**
 * The stored form of any error code, so an outcome is never dropped because of its code's shape:
 * apps report `error.name` (`TypeError`, `AbortError`, `Error`) or codes of other conventions
 * (`some-thing`, `ERR_x`). Word boundaries of camelCase become `_`, every run of other characters
 * becomes one `_`, letters are upper-cased, a leading digit gets an `E_` prefix, and the result is
 * cut to 64 characters at an underscore-free end; nothing usable gives `UNKNOWN_ERROR`. The raw
 * code is kept as the error class when it differs.
 *
 * @example
 * normaliseErrorCode('TypeError');    // { code: 'TYPE_ERROR', errorClass: 'TypeError' }
 * normaliseErrorCode('some-thing');   // { code: 'SOME_THING', errorClass: 'some-thing' }
 * normaliseErrorCode('RATE_LIMITED'); // { code: 'RATE_LIMITED', errorClass: undefined }
 */
export function normaliseErrorCode(raw: string): NormalisedErrorCode {
  if (raw.length <= ERROR_CODE_MAX_LENGTH && ERROR_CODE_PATTERN.test(raw))
    return { code: raw, errorClass: undefined };
  let code = raw
    .slice(0, RAW_ERROR_CODE_MAX_LENGTH)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(code)) code = `E_${code}`;
  code = code.slice(0, ERROR_CODE_MAX_LENGTH).replace(/_+$/, '');
  if (code === '') code = EMPTY_ERROR_CODE;
  const errorClass = raw.slice(0, ERROR_CODE_MAX_LENGTH).replace(/[^A-Za-z0-9_.:$-]/g, '_');
  const kept = errorClass === code || !/[A-Za-z0-9]/.test(errorClass) ? undefined : errorClass;
  return { code, errorClass: kept };
}
