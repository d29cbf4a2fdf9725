import { describe, expect, it } from 'vitest';
import { codePointLength, redactText, truncateCodePoints } from './index.js';

const redact = (text: string) => redactText(text, { maxLength: 10_000 }).text;

describe('redactText: each kind', () => {
  it.each([
    ['anna.m@example.com', '[email]'],
    ["o'brien+trips@mail.example.co.uk", '[email]'],
    ['https://example.com/a?b=1', '[url]'],
    ['http://192.168.0.1:8080/admin', '[url]'],
    ['www.booking.com', '[url]'],
    ['example.com/x', '[url]'],
    ['192.168.0.1', '[ip]'],
    ['::1', '[ip]'],
    ['fe80::1ff:fe23:4567:890a', '[ip]'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '[ip]'],
    ['::ffff:192.0.2.1', '[ip]'],
    ['4111 1111 1111 1111', '[card]'],
    ['4111-1111-1111-1111', '[card]'],
    ['4111111111111111', '[card]'],
    ['3782 822463 10005', '[card]'],
    ['DE89 3704 0044 0532 0130 00', '[iban]'],
    ['GB29NWBK60161331926819', '[iban]'],
    // The run with the next word appended also passes mod 97 (1 in 97): the word stays.
    ['AA827M7N75R7G7I4 and', '[iban] and'],
    ['DE89 3704 0044 0532 0130 00 and', '[iban] and'],
    // Irregular spacing and a lower-case last group are still one IBAN.
    ['GB29NWBK 6016 1331 9268 19', '[iban]'],
    ['DE8937040044 0532013000', '[iban]'],
    ['DE893704 0044 0532 0130 00', '[iban]'],
    ['SC18 SSCB 1101 0000 0000 0000 1497 usd', '[iban]'],
    ['gb29nwbk60161331926819', '[iban]'],
    ['+49 170 1234567', '[phone]'],
    ['+1 (415) 555-0100', '[phone]'],
    ['0049 170 1234567', '[phone]'],
    ['0170 1234567', '[phone]'],
    ['(415) 555-0100', '[phone]'],
    ['415-555-0100', '[phone]'],
    ['030/1234567', '[phone]'],
    ['+33 1 23 45 67 89', '[phone]'],
    // North American shape whatever the digits: an exchange or area code led by 0 or 1 too.
    ['415.100.7788', '[phone]'],
    ['415-100-7788', '[phone]'],
    ['(415) 100-7788', '[phone]'],
    ['415.045.7349', '[phone]'],
    ['115 100 7788', '[phone]'],
    ['000-000-0000', '[phone]'],
    ['1-115-100-7788', '[phone]'],
    ['+1 415 045 7349', '[phone]'],
    ['@anna.m.travels', '[handle]'],
    ['@user_1', '[handle]'],
  ])('%s → %s', (raw, token) => {
    expect(redact(`contact: ${raw}, thanks`)).toBe(`contact: ${token}, thanks`);
  });

  it('counts what it replaced', () => {
    const { text, counts } = redactText('a@b.de, +49 170 1234567, @anna, 10.0.0.1, example.com/x, @bob');
    expect(text).toBe('[email], [phone], [handle], [ip], [url], [handle]');
    expect(counts).toEqual({ email: 1, phone: 1, url: 1, ip: 1, card: 0, iban: 0, handle: 2 });
  });
});

describe('redactText: travel text keeps its numbers', () => {
  it.each([
    '2 weeks in Japan, 14 nights, budget 3000',
    'from 2026-10-01 to 2026-10-15',
    '2026-10-01 2026-10-15',
    '01.10.2026 - 15.10.2026',
    '3 adults 2 kids',
    '10:30 train',
    '10:30:00 departure',
    '5-star hotel',
    'budget 1500-2000 EUR',
    'maybe in 2027',
    'ages 4 and 7, 2 x 50 EUR, 18-30 °C',
    'Day 3: 120 km by car, room 1204',
    'booking.com is fine',
    'meet @ the station',
    '1234 5678 9012 3456 is not a card (Luhn)',
    'DE00 1234 5678 9012 3456 78 is not an IBAN (mod 97)',
    'Tokyo :: Kyoto',
  ])('%s', (text) => {
    expect(redactText(text)).toEqual({
      text,
      counts: { email: 0, phone: 0, url: 0, ip: 0, card: 0, iban: 0, handle: 0 },
    });
  });
});

describe('redactText: the fixture notes', () => {
  it('replaces the phone number of the Japan example', () => {
    expect(redact('ramen, onsen; my wife is vegetarian, reach me at +49 170 1234567')).toBe(
      'ramen, onsen; my wife is vegetarian, reach me at [phone]',
    );
  });

  it('replaces the handle but not the e-mail @', () => {
    expect(redact('birthday of Anna M., instagram @anna.m.travels or anna@travels.example')).toBe(
      'birthday of Anna M., instagram [handle] or [email]',
    );
  });
});

describe('redactText: truncation', () => {
  it('cuts to 280 code points by default, after redaction, appending nothing', () => {
    const long = `${'a'.repeat(300)} a@b.de`;
    expect(redactText(long).text).toBe('a'.repeat(280));
    expect(redactText(`${'x '.repeat(130)}anna@example.com`).text.endsWith('[email]')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    expect(redactText('😀😀😀', { maxLength: 2 }).text).toBe('😀😀');
    expect(truncateCodePoints('a😀b', 2)).toBe('a😀');
    expect(codePointLength('a😀b')).toBe(3);
  });

  it('replaces lone surrogates and handles odd lengths', () => {
    expect(redactText('a\uD800b').text).toBe('a\uFFFDb');
    expect(redactText('abc', { maxLength: 0 }).text).toBe('');
    expect(redactText('abc', { maxLength: Number.POSITIVE_INFINITY }).text).toBe('abc');
  });

  it('stays fast on long adversarial input', () => {
    const inputs = [
      'a'.repeat(100_000),
      '1 '.repeat(50_000),
      'a.'.repeat(50_000),
      '1-'.repeat(50_000),
      ':'.repeat(1e5),
    ];
    const started = Date.now();
    for (const input of inputs) redactText(input);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
