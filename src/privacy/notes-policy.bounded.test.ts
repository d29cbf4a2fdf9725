import { describe, expect, it } from 'vitest';
import { applyNotesPolicy, redactErrorMessage } from './index.js';

const MB = 1 << 20;

describe('notes policy on huge inputs', () => {
  it('redacts a 1 MB note quickly: only a bounded prefix is read', () => {
    const note = `call +49 170 1234567 ${'ramen onsen anna@example.com 4111 1111 1111 1111 '.repeat(MB / 48)}`;
    expect(note.length).toBeGreaterThan(MB);
    const started = performance.now();
    const kept = applyNotesPolicy(note, 'redact');
    const summary = applyNotesPolicy(note, 'summary');
    const message = redactErrorMessage(note);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(500); // unbounded redaction of this note alone takes ~120 ms; bounded ~1 ms
    expect(kept.startsWith('call [phone] ramen onsen [email] [card]')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(280);
    expect(message.length).toBeLessThanOrEqual(200);
    expect(`${kept}${message}`).not.toMatch(/1234567|anna@|4111/);
    expect(summary.length).toBe(note.length);
    expect(summary.redactions.email).toBeGreaterThan(0);
  });

  it('never lets an item cut by the pre-truncation through, even when redaction shrinks a lot', () => {
    // 55 IPv6 addresses (2,200 code points) shrink to 275 as [ip]; the e-mail straddles the
    // 8 × 280 = 2,240 bound, so its first half would land inside the 280 kept code points.
    const ips = Array.from({ length: 55 }, () => '2001:0db8:0000:0000:0000:0000:0000:0001').join(' ');
    const note = `${ips} anna.very.long.localpart.name@example-domain-name.com and more text`;
    const kept = applyNotesPolicy(note, 'redact');
    expect(kept).toMatch(/^\[ip\]/);
    expect(kept).not.toMatch(/anna|2001/);
  });

  it('keeps short notes exactly as before', () => {
    expect(applyNotesPolicy('2 weeks in Japan, 14 nights, budget 3000', 'redact')).toBe(
      '2 weeks in Japan, 14 nights, budget 3000',
    );
  });
});
