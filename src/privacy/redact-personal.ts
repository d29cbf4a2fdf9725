/**
 * The Node face of redaction: what patterns cannot find. Person names (compromise), GDPR Art. 9
 * special-category terms (a lexicon) and ages next to a name. It is a second public face of
 * `privacy` so that the browser client and the edge entry, which import the index, never carry
 * compromise; the server (`serve`'s ingest) and the in-process tracker pass it to the notes policy.
 */
import { redactNames } from './redact-names.js';
import { redactSpecialCategories } from './redact-special.js';

/** How many items each pass of {@link redactPersonalData} replaced. */
export interface PersonalCounts {
  name: number;
  age: number;
  /** Special-category terms, all categories together. */
  special: number;
}

/** An age right after a name (`[name], 29`, `[name] (34)`) or with its unit (`29 years old`, `41 ans`). */
const AGE_AFTER_NAME = /(\[name\]\s*[,(]\s*)\d{1,3}(?!\d)/g;
const AGE_WITH_UNIT =
  /(?<![\p{L}\p{N}])\d{1,3}\s*(?:-?\s*years?[- ]old|-?year-old|y\.?o\.?|jahre alt|-?jährig\p{L}*|ans|años|anni|anos|lat|let|jaar)(?![\p{L}\p{N}])/giu;
const AGED = /(?<![\p{L}\p{N}])(aged?|im alter von|âgée? de|de edad)\s+\d{1,3}(?!\d)/giu;

function redactAges(text: string): { text: string; count: number } {
  let count = 0;
  const out = text
    .replace(AGE_AFTER_NAME, (_, lead: string) => {
      count += 1;
      return `${lead}[age]`;
    })
    .replace(AGE_WITH_UNIT, () => {
      count += 1;
      return '[age]';
    })
    .replace(AGED, (_, word: string) => {
      count += 1;
      return `${word} [age]`;
    });
  return { text: out, count };
}

/**
 * Replaces person names by `[name]`, special-category terms by `[health]`, `[religion]`, …, and
 * ages by `[age]`. Run it after the pattern passes (`redactText`), which take e-mail addresses
 * (names inside them included), phones and cards first; `applyNotesPolicy` does, given it as its
 * `redactor`.
 *
 * @example
 * redactPersonalData('Jana Novak, 29, wheelchair user').text; // '[name], [age], [health] user'
 */
export function redactPersonalData(text: string): { text: string; counts: PersonalCounts } {
  const names = redactNames(text);
  const ages = redactAges(names.text);
  const special = redactSpecialCategories(ages.text);
  return { text: special.text, counts: { name: names.count, age: ages.count, special: special.count } };
}

/** {@link redactPersonalData} as the notes policy's `redactor`: text in, text out. */
export const personalDataRedactor = (text: string): string => redactPersonalData(text).text;
