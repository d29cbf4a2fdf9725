import { createRequire } from 'node:module';
import type Nlp from 'compromise';
import type { PassResult } from './redact-network.js';

let loaded: typeof Nlp | undefined;

/**
 * compromise, loaded on the first name to find: its lexicon costs a noticeable start-up (about
 * half a second), which a tracker or a server under the default `summary` policy never pays. The
 * one-file CommonJS build, because `redact` is synchronous and loads faster than its ES modules.
 */
function nlp(): typeof Nlp {
  loaded ??= createRequire(import.meta.url)('compromise') as typeof Nlp;
  return loaded;
}

/**
 * Replaces person names by `[name]`, as found by compromise (`.people()`): its lexicon of first
 * names, honorifics and the grammar around them (`my wife Anna Müller`, `Jana Novak, 29`). Titles
 * it takes into the name (`Frau Anna Müller`) go with it. Only the name's own words are replaced,
 * not the punctuation compromise attaches to a match.
 *
 * Server-side only (compromise is ~350 KB): never reachable from the browser client or the edge
 * entry, see privacy/redact-personal.ts.
 *
 * @example
 * redactNames('my wife Anna Müller joins').text; // 'my wife [name] joins'
 */
export function redactNames(text: string): PassResult {
  const matches = nlp()(text)
    .people()
    .json({ offset: true, terms: { offset: true } }) as NameMatch[];
  const spans: [number, number][] = [];
  for (const match of matches) {
    const first = match.terms[0]?.offset;
    const last = match.terms.at(-1)?.offset;
    if (first !== undefined && last !== undefined) spans.push([first.start, last.start + last.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let count = 0;
  for (const [start, end] of spans) {
    if (start < copied) continue;
    out += `${text.slice(copied, start)}[name]`;
    copied = end;
    count += 1;
  }
  return { text: out + text.slice(copied), count };
}

interface NameMatch {
  terms: { offset?: { start: number; length: number } }[];
}
