import { ProblemError } from './problem.js';

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32;

/** Keys no body may carry: they are never field names here, and they are how prototypes get polluted. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL (PostgreSQL text cannot hold it) or a lone UTF-16 surrogate (not valid Unicode). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isBadText = (text: string) => text.includes('\0') || LONE_SURROGATE.test(text);

/** A node met by the walk; its path is built only when a problem names it. */
interface Visit {
  node: unknown;
  depth: number;
  parent: Visit | undefined;
  key: string | number | undefined;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;
/** Longest key shown in a field path: a hostile body's key is not echoed whole. */
const MAX_KEY_SHOWN = 64;

/** The JSON path of a visited node, as `FieldProblem.field` spells it: `events[3].props.notes`. */
function pathOf(visit: Visit | undefined, key?: string | number): string {
  const parts: (string | number)[] = key === undefined ? [] : [key];
  for (let v = visit; v?.key !== undefined; v = v.parent) parts.push(v.key);
  let out = '';
  for (const part of parts.reverse()) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part) && part.length <= MAX_KEY_SHOWN) out += out === '' ? part : `.${part}`;
    else {
      const shown = isBadText(part) ? '?' : part.slice(0, MAX_KEY_SHOWN);
      out += `[${JSON.stringify(shown)}]`;
    }
  }
  return out === '' ? '(body)' : out;
}

/**
 * Refuses a parsed JSON body that no later step should meet, with a 400 problem naming the
 * offending location as its field (`events[0].input_snapshot.notes`; `(body)` for the body
 * itself): nested deeper than `max` objects/arrays (`JSON_TOO_DEEP`, so nothing recurses into a
 * hostile body), a `__proto__` / `constructor` / `prototype` key anywhere (`FORBIDDEN_KEY`), or a
 * string or key holding NUL or a lone surrogate (`INVALID_TEXT`, which PostgreSQL cannot store).
 * Iterative: it cannot overflow the stack itself.
 */
export function assertSafeJson(value: unknown, max = MAX_JSON_DEPTH): void {
  const stack: Visit[] = [{ node: value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, depth } = visit;
    if (typeof node === 'string') {
      if (isBadText(node)) throw badText(pathOf(visit), 'holds a NUL character or a lone surrogate');
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max)
      throw new ProblemError(400, 'JSON_TOO_DEEP', `the body is nested deeper than ${max} levels`, [
        { field: pathOf(visit), message: `is nested deeper than ${max} levels` },
      ]);
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--)
        stack.push({ node: node[i], depth: depth + 1, parent: visit, key: i });
      continue;
    }
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (FORBIDDEN_KEYS.has(key))
        throw new ProblemError(400, 'FORBIDDEN_KEY', `the body may not contain the key "${key}"`, [
          { field: pathOf(visit, key), message: 'is a forbidden key' },
        ]);
      if (isBadText(key))
        throw badText(pathOf(visit, key), 'is a key holding a NUL character or a lone surrogate');
      stack.push({ node: child, depth: depth + 1, parent: visit, key });
    }
  }
}

export const badText = (field: string, message: string) =>
  new ProblemError(400, 'INVALID_TEXT', 'the body holds text that is not valid Unicode or holds NUL', [
    { field, message },
  ]);

/** The path of the first string or key (in document order) holding U+FFFD. */
export function firstReplacedPath(value: unknown): string | undefined {
  const stack: Visit[] = [{ node: value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { node, depth } = visit;
    if (typeof node === 'string') {
      if (node.includes('\ufffd')) return pathOf(visit);
      continue;
    }
    if (typeof node !== 'object' || node === null || depth > MAX_JSON_DEPTH) continue;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((child, i) => [i, child])
      : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (typeof key === 'string' && key.includes('\ufffd')) return pathOf(visit, key);
      stack.push({ node: child, depth: depth + 1, parent: visit, key });
    }
  }
  return undefined;
}
