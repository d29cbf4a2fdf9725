import type { PassResult } from './redact-network.js';
import { SPECIAL_CATEGORY_TERMS, type SpecialCategory } from './special-category-terms.js';

const LETTERS = String.raw`[\p{L}\p{M}]*`;
const BEFORE = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const AFTER = String.raw`(?![\p{L}\p{M}\p{N}])`;

/** The pattern of one lexicon entry (see {@link SPECIAL_CATEGORY_TERMS} for its syntax). */
function entryPattern(entry: string): string {
  const inside = entry.startsWith('*');
  const stem = entry.endsWith('*');
  const core = entry
    .replace(/^\*|\*$/g, '')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/ /g, String.raw`\s+`);
  return `${inside ? LETTERS : BEFORE}${core}${stem ? LETTERS : ''}`;
}

/** One regular expression per category, longest entries first (`fauteuil roulant` before `fauteuil`). */
const PATTERNS = (Object.keys(SPECIAL_CATEGORY_TERMS) as SpecialCategory[]).map((category) => {
  const entries = [...SPECIAL_CATEGORY_TERMS[category]].sort((a, b) => b.length - a.length);
  const alternation = entries.map(entryPattern).join('|');
  return [category, new RegExp(`${BEFORE}(?:${alternation})${AFTER}`, 'giu')] as const;
});

/**
 * Replaces GDPR Art. 9 special-category terms (health, religion, sexuality, ethnicity, political
 * opinion, union membership, biometric and genetic data) by `[health]`, `[religion]`, …, from
 * the lexicon of `special-category-terms.ts`. A whole word goes: `Nussallergie` → `[health]`.
 *
 * @example
 * redactSpecialCategories('my husband has a nut allergy').text; // 'my husband has a nut [health]'
 */
export function redactSpecialCategories(text: string): PassResult {
  let count = 0;
  let out = text;
  for (const [category, pattern] of PATTERNS) {
    out = out.replace(pattern, () => {
      count += 1;
      return `[${category}]`;
    });
  }
  return { text: out, count };
}
