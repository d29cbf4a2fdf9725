/**
 * Notes-recall bench: how much of the personal data in test/fixtures/notes-corpus.json (travel
 * notes in nine languages, annotated by hand-written templates of scripts/make-notes-corpus.py)
 * the opt-in `redact` notes policy removes, with the server's redactor (patterns, then names by
 * compromise, special-category terms by lexicon, ages). Goal: ≥ 95 % of names and of
 * special-category terms, no e-mail, phone or card left.
 *
 *   npm run bench -- notes-recall
 */
import { measureNotesRecall } from '../test/support/notes-recall.js';

const percent = (found: number, total: number) =>
  `${((100 * found) / total).toFixed(1)} % (${found}/${total})`;

/** Runs the bench and returns its table. */
export default async function benchNotesRecall() {
  const r = measureNotesRecall();
  const misses = [...r.names.missed, ...r.sensitive.missed, ...r.leaks];
  for (const miss of misses) console.log(`  missed: ${miss}`);
  return {
    title: `Notes recall: the redact policy on ${r.notes} annotated travel notes (en, de, fr, es, it, pt, nl, pl, cs)`,
    rows: [
      ['person names removed', percent(r.names.found, r.names.total), 'goal ≥ 95 %'],
      ['special-category terms removed', percent(r.sensitive.found, r.sensitive.total), 'goal ≥ 95 %'],
      ['e-mails, phones, cards left', String(r.leaks.length), 'goal 0'],
      [
        'time per note',
        `${r.msPerNote.toFixed(2)} ms`,
        `first call ${r.firstCallMs.toFixed(0)} ms (loads compromise)`,
      ],
    ],
  };
}
