import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './index.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const PROVIDERS = ['GEMINI', 'OPENAI', 'ANTHROPIC', 'OPENROUTER'];

/** The "kind | codes" table of docs/server-tracking.md: code → kind, `P_…` expanded per provider. */
function documentedKinds(): Map<string, string> {
  const table = read('docs/server-tracking.md').split('| kind | codes |')[1]!.split('\n\n')[0]!;
  const kinds = new Map<string, string>();
  for (const [, kind, codes] of table.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)) {
    for (const [, code] of codes!.matchAll(/`(\w+)`/g)) {
      const expanded = code!.startsWith('P_') ? PROVIDERS.map((p) => `${p}${code!.slice(1)}`) : [code!];
      for (const one of expanded) kinds.set(one, kind!);
    }
  }
  return kinds;
}

/** Every exact code of test/fixtures/error-codes.json (the provider pattern expanded). */
function fixtureCodes(): string[] {
  const fixture = JSON.parse(read('test/fixtures/error-codes.json')) as Record<
    string,
    Record<string, unknown>
  >;
  const { kinds, others } = fixture.provider_runtime as Record<string, Record<string, string>>;
  const codes = [
    ...PROVIDERS.flatMap((p) => Object.keys(kinds!).map((k) => `${p}_${k}`)),
    ...Object.keys(others!),
  ];
  for (const [group, value] of Object.entries(fixture))
    if (!['about', 'provider_runtime', 'http_status_hints', 'message_hints'].includes(group))
      codes.push(...Object.keys(value));
  return codes;
}

describe('the classifier table of docs/server-tracking.md', () => {
  const documented = documentedKinds();

  it('lists every code of the travel app, and only those', () => {
    expect([...documented.keys()].sort()).toEqual([...new Set(fixtureCodes())].sort());
  });

  it.each([...documented])('%s is documented as %s, as classified', (code, kind) => {
    expect(classifyFailure({ errorCode: code })).toBe(kind);
  });
});
