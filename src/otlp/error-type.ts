import { ERROR_CODE_MAX_LENGTH, isErrorCode } from '../domain/index.js';

/** The code of a failed span that names no `error.type`. */
export const SPAN_ERROR_CODE = 'OTEL_SPAN_ERROR';

/**
 * An `error.type` (`timeout`, `500`, `AI_APICallError`, `java.net.UnknownHostException`) as a
 * tripmeter error code: UPPER_SNAKE, at most 64 characters, an HTTP status as `HTTP_<status>`.
 *
 * @example
 * errorCodeFromType('RateLimitError'); // 'RATE_LIMIT_ERROR'
 * errorCodeFromType('429'); // 'HTTP_429'
 */
export function errorCodeFromType(type: string | null): string {
  if (type === null) return SPAN_ERROR_CODE;
  if (/^\d{3}$/.test(type)) return `HTTP_${type}`;
  let code = type
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()
    .replace(/^_+|_+$/g, '');
  if (code === '') return SPAN_ERROR_CODE;
  if (!/^[A-Z]/.test(code)) code = `ERROR_${code}`;
  code = code.slice(0, ERROR_CODE_MAX_LENGTH).replace(/_+$/, '');
  return isErrorCode(code) ? code : SPAN_ERROR_CODE;
}
