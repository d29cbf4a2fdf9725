import { gunzip } from 'node:zlib';
import { OtlpDecodeError } from './errors.js';

/**
 * Inflates a gzip body, stopping at `maxBytes` of output: zlib refuses to grow its buffer past
 * `maxOutputLength`, so a gzip bomb costs at most that much memory before it is refused (413). A
 * corrupt or cut stream is 400 `MALFORMED_GZIP`.
 */
export function inflateBounded(body: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: maxBytes }, (error, out) => {
      if (error === null) return resolve(out);
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        return reject(
          new OtlpDecodeError('BODY_TOO_LARGE', `the body inflates to more than ${maxBytes} bytes`),
        );
      }
      reject(new OtlpDecodeError('MALFORMED_GZIP', 'the body is not a complete gzip stream'));
    });
  });
}
