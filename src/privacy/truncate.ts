/** Matches a high surrogate without its low half, or a low surrogate without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone UTF-16 surrogates with U+FFFD so the text is well-formed (safe to store as
 * UTF-8 and to serialise as JSON). `String.prototype.toWellFormed` without needing ES2024.
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Keeps at most `maxLength` code points of `text`, never splitting a surrogate pair, and
 * appends nothing. Lone surrogates become U+FFFD. A non-finite or negative `maxLength` keeps
 * everything or nothing respectively.
 *
 * @example
 * truncateCodePoints('a😀b', 2); // 'a😀'
 */
export function truncateCodePoints(text: string, maxLength: number): string {
  const well = toWellFormed(text);
  if (Number.isNaN(maxLength) || maxLength <= 0) return '';
  const max = Math.floor(maxLength);
  if (well.length <= max) return well;
  let count = 0;
  let end = 0;
  while (end < well.length && count < max) {
    const code = well.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
    count += 1;
  }
  return well.slice(0, end);
}

/** Number of code points in `text` (a surrogate pair counts once). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}
