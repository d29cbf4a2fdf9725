import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, redactText } from './index.js';
import { MAY_HOLD_PERSONAL_DATA, REDACTION_PASSES } from './redact.js';

/** The characters one of which every redaction pass needs (all of them, for `replace`). */
const WITHOUT = new RegExp(MAY_HOLD_PERSONAL_DATA.source, 'g');

const RUNS = { numRuns: 400 };
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const nonZero = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[1-9]\\d{${min - 1},${max - 1}}$`));

function luhnComplete(body: string): string {
  for (let check = 0; check <= 9; check += 1) {
    const candidate = body + check;
    let sum = 0;
    for (let i = 0; i < candidate.length; i += 1) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function ibanWithChecksum(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`]
    .map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c))
    .join('');
  let remainder = 0;
  for (const d of numeric) remainder = (remainder * 10 + Number(d)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

const groupsOf4 = (s: string, sep: string) => s.match(/.{1,4}/g)?.join(sep) ?? s;

const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]+(?:[._+-][a-z0-9]+){0,3}$/), fc.stringMatching(/^[a-z0-9]{1,12}$/))
  .chain(([local, host]) =>
    fc.constantFrom('com', 'de', 'co.uk', 'travel').map((tld) => `${local}@${host}.${tld}`),
  );
const intlPhone = fc.oneof(
  fc
    .tuple(
      nonZero(1, 3),
      nonZero(2, 4),
      digits(5, 8),
      fc.constantFrom(' ', '-', ''),
      fc.constantFrom('+', '00'),
    )
    .map(([cc, area, sub, sep, prefix]) => `${prefix}${cc}${sep}${area}${sep}${sub}`),
  fc
    .tuple(fc.stringMatching(/^[2-9]\d\d$/), digits(3, 3), digits(4, 4))
    .map(([a, b, c]) => `+1 (${a}) ${b}-${c}`),
);
const localPhone = fc.oneof(
  fc
    .tuple(nonZero(2, 4), digits(5, 7), fc.constantFrom(' ', '/', '-', ''))
    .map(([area, sub, sep]) => `0${area}${sep}${sub}`),
  fc.tuple(nonZero(2, 4), digits(5, 7)).map(([area, sub]) => `(0${area}) ${sub}`),
  // The North American shape with any digits: `415.100.7788` is a phone number as typed.
  fc
    .tuple(digits(3, 3), digits(3, 3), digits(4, 4))
    .chain(([a, b, c]) =>
      fc.constantFrom(`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `${a} ${b} ${c}`),
    ),
);
const cleanUrl = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,12}(?:\.[a-z0-9]{1,8})?$/), fc.stringMatching(/^[a-z0-9_/-]{0,20}$/))
  .chain(([domain, path]) =>
    fc.constantFrom(
      `https://${domain}.com/${path}`,
      `http://${domain}.de`,
      `www.${domain}.org`,
      `${domain}.io/x${path}`,
    ),
  );
const ipv6 = fc.ipV6().filter((ip) => ip !== '::');
const card = fc
  .tuple(fc.integer({ min: 13, max: 19 }), fc.constantFrom('3', '4', '5', '6'), digits(18, 18))
  .map(([length, first, rest]) => luhnComplete(first + rest.slice(0, length - 2)))
  .chain((number) => fc.constantFrom(number, groupsOf4(number, ' '), groupsOf4(number, '-')));
const iban = fc
  .tuple(fc.stringMatching(/^[A-Z]{2}$/), fc.stringMatching(/^[A-Z0-9]{11,30}$/))
  .map(([country, bban]) => ibanWithChecksum(country, bban))
  .chain((value) => fc.constantFrom(value, groupsOf4(value, ' ')));
const handle = fc.stringMatching(/^@[a-z][a-z0-9_.]{0,15}[a-z0-9_]$/);

/** Well-formed PII of every kind, as a user would type it. */
const pii = fc.oneof(email, intlPhone, localPhone, cleanUrl, fc.ipV4(), ipv6, card, iban, handle);

/** Travel phrases whose numbers must survive. */
const BENIGN = [
  '2 weeks in Japan, 14 nights, budget 3000',
  'from 2026-10-01 to 2026-10-15',
  '3 adults 2 kids',
  '10:30 train',
  '5-star hotel',
  'budget 1500-2000 EUR',
  'maybe in 2027',
  'flight at 07:45',
  'ages 4 and 7',
  '18-30 °C in May',
  'Day 3: 120 km',
  'room 1204 on floor 12',
  'ramen, onsen and temples',
  '01.10.2026 - 15.10.2026',
];
const benign = fc.constantFrom(...BENIGN);
const joiner = fc.constantFrom(', ', '; ', '. ', ' and ', ' / ');
const TOKEN = /\[(?:email|phone|url|ip|card|iban|handle)\]/g;

describe('redactText properties', () => {
  it('replaces every embedded PII item and keeps the travel text around it unchanged', () => {
    const segment = fc.oneof(
      benign.map((text) => ({ text, pii: false })),
      pii.map((text) => ({ text, pii: true })),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), joiner, (segments, join) => {
        const input = segments.map((s) => s.text).join(join);
        const { text, counts } = redactText(input, { maxLength: 100_000 });
        const expected = segments.map((s) => (s.pii ? '[pii]' : s.text)).join(join);
        expect(text.replace(TOKEN, '[pii]')).toBe(expected);
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        expect(total).toBe(segments.filter((s) => s.pii).length);
      }),
      RUNS,
    );
  });

  it('leaks no raw PII, including unusual e-mails, URLs and IPs', () => {
    const wild = fc.oneof(
      pii,
      fc.emailAddress(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(benign, wild), { minLength: 1, maxLength: 6 }),
        wild,
        joiner,
        (before, item, join) => {
          const input = [...before, item].join(join);
          const { text } = redactText(input, { maxLength: 100_000 });
          expect(text).not.toContain(item);
        },
      ),
      RUNS,
    );
  });

  it('no pass finds anything in text without a digit, @, . or : (what lets redactText skip them)', () => {
    // PII and travel text with those characters taken out, among arbitrary text, and lookalikes:
    // other scripts' digits, full-width signs, slashes, plus signs, brackets.
    const stripped = fc
      .array(fc.oneof(pii, benign, fc.emailAddress(), fc.webUrl(), fc.string({ unit: 'binary' })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.join(' ').replace(WITHOUT, ''));
    const lookalikes = fc
      .array(
        fc.constantFrom(
          'DE',
          'GB',
          'www',
          'https',
          '//',
          '+',
          '(',
          ')',
          '-',
          '/',
          ' ',
          '٣',
          '１',
          '＠',
          '．',
          '：',
        ),
        {
          maxLength: 40,
        },
      )
      .map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(stripped, lookalikes), (input) => {
        for (const [, pass] of REDACTION_PASSES) expect(pass(input)).toEqual({ text: input, count: 0 });
      }),
      RUNS,
    );
  });

  it('travel text alone is never changed', () => {
    fc.assert(
      fc.property(fc.array(benign, { minLength: 1, maxLength: 10 }), joiner, (phrases, join) => {
        const input = phrases.join(join);
        expect(redactText(input, { maxLength: 100_000 }).text).toBe(input);
      }),
      RUNS,
    );
  });

  it('output is at most maxLength code points and never has a lone surrogate', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(fc.constantFrom('😀', '\uD800', '\uDC00', 'a@b.de ', '+49 170 1234567 ', 'é'), {
          maxLength: 120,
        })
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 300 }), (input, maxLength) => {
        const out = redactText(input, { maxLength }).text;
        expect(codePointLength(out)).toBeLessThanOrEqual(maxLength);
        expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
      RUNS,
    );
  });
});
