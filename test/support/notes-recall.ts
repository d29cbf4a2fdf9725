import { readFileSync } from 'node:fs';
import { applyNotesPolicy } from '../../src/privacy/index.js';
import { personalDataRedactor } from '../../src/privacy/redact-personal.js';

/** One annotated note of test/fixtures/notes-corpus.json. */
export interface CorpusNote {
  lang: string;
  text: string;
  /** Person names as written; each should lose all its capitalised words. */
  names: string[];
  /** Special-category terms as written (health, religion, …); each should no longer appear. */
  sensitive: string[];
  emails: string[];
  phones: string[];
  cards: string[];
}

/** What the `redact` policy (with the server's redactor) left of the corpus. */
export interface NotesRecall {
  notes: number;
  names: { found: number; total: number; missed: string[] };
  sensitive: { found: number; total: number; missed: string[] };
  /** E-mails, phones and cards still in the output, with the note they were in. */
  leaks: string[];
  /** Mean milliseconds to redact one note (the first call, which loads the NLP lexicon, apart). */
  msPerNote: number;
  firstCallMs: number;
}

/** Reads the corpus. */
export function readNotesCorpus(): CorpusNote[] {
  const url = new URL('../fixtures/notes-corpus.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { sentences: CorpusNote[] }).sentences;
}

const wholeWord = (word: string) =>
  new RegExp(`(?<![\\p{L}\\p{M}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{M}])`, 'u');

/**
 * Runs every note through `applyNotesPolicy(…, 'redact')` with the server's redactor and scores
 * it: a name counts as found when none of its capitalised words is left, a special-category term
 * when its text is no longer in the note (case-insensitive), and any e-mail, phone or card left
 * is a leak.
 */
export function measureNotesRecall(corpus = readNotesCorpus()): NotesRecall {
  const result: NotesRecall = {
    notes: corpus.length,
    names: { found: 0, total: 0, missed: [] },
    sensitive: { found: 0, total: 0, missed: [] },
    leaks: [],
    msPerNote: 0,
    firstCallMs: 0,
  };
  const first = performance.now();
  applyNotesPolicy('Anna', 'redact', 10_000, personalDataRedactor);
  result.firstCallMs = performance.now() - first;
  let elapsed = 0;
  for (const note of corpus) {
    const start = performance.now();
    const out = applyNotesPolicy(note.text, 'redact', 10_000, personalDataRedactor);
    elapsed += performance.now() - start;
    for (const name of note.names) {
      result.names.total += 1;
      const left = name.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w) && wholeWord(w).test(out));
      if (left.length === 0) result.names.found += 1;
      else result.names.missed.push(`${name} in "${out}"`);
    }
    for (const term of note.sensitive) {
      result.sensitive.total += 1;
      if (!out.toLowerCase().includes(term.toLowerCase())) result.sensitive.found += 1;
      else result.sensitive.missed.push(`${term} in "${out}"`);
    }
    for (const item of [...note.emails, ...note.phones, ...note.cards])
      if (out.includes(item)) result.leaks.push(`${item} in "${out}"`);
  }
  result.msPerNote = elapsed / corpus.length;
  return result;
}
