import { describe, expect, it } from 'vitest';
import { EVENT_FIELD_RULES } from '../domain/index.js';
import { ingestEventSchema } from './event-schema.js';

const uuid = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';
/** Values on both sides of every rule's bounds, and of the wrong type. */
const VALUES: unknown[] = [
  ...[0, 1, 7, 8, 31, 32, 33, 63, 64, 65, 127, 128, 129, 10_000, 10_001].map((n) => 'x'.repeat(n)),
  ...[0, 1, 32, 33, 64, 65].map((n) => 'A'.repeat(n)),
  'a b',
  'ü',
  'classic_v1.2-beta',
  'fp_AbC-123_xyz',
  'app',
  'Not A Source',
  'OPENAI_REQUEST_TIMEOUT',
  'rate_limited',
  'A__B',
  uuid,
  uuid.toUpperCase(),
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'guest',
  ...[-1, 0, 99, 100, 504, 504.5, 599, 600, 2_147_483_647, 2_147_483_648],
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '504',
  null,
  true,
  ['app'],
  { value: 'app' },
];

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const shape = ingestEventSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;

describe('ingest event schema', () => {
  it("accepts exactly what the tracker's check of the same rule accepts", () => {
    const wireRules = Object.entries(EVENT_FIELD_RULES).filter(([name]) => snake(name) in shape);
    // Every rule but the fingerprint (which only the in-process tracker takes) is on the wire.
    expect(wireRules.map(([name]) => name)).not.toContain('fingerprint');
    expect(wireRules).toHaveLength(Object.keys(EVENT_FIELD_RULES).length - 1);
    for (const [name, rule] of wireRules) {
      const schema = shape[snake(name)]!;
      for (const value of VALUES)
        expect([name, value, schema.safeParse(value).success]).toEqual([name, value, rule.check(value)]);
    }
  });

  it('tells HTTP clients what each rule says', () => {
    const message = (field: string, value: unknown) =>
      ingestEventSchema.safeParse({ type: 'create_trip_attempted', request_id: 'r', [field]: value }).error
        ?.issues[0]?.message;
    expect(message('request_id', 'a b')).toBe('must be 1–128 printable ASCII characters without spaces');
    expect(message('user_id', '00000000-0000-0000-0000-000000000000')).toBe(
      'is a reserved placeholder id, not a subject',
    );
    expect(message('user_id', 'nope')).toBe('must be a UUID');
    expect(message('error_code', 'x'.repeat(1_001))).toBe(
      'Too big: expected string to have <=1000 characters',
    );
    expect(message('error_class', 'Type Error')).toBe('must be 1–64 of `A–Z a–z 0–9 _ . : $ -`');
    expect(message('prompt_contract_version', 'v 1')).toBe('must be 1–64 letters, digits, `_`, `.` or `-`');
    expect(message('source', 'App')).toBe('must be a lower-case label such as `app` or `benchmark`');
    expect(message('provider', '')).toBe('Too small: expected string to have >=1 characters');
    expect(message('http_status', 600)).toBe('Too big: expected number to be <=599');
  });
});
