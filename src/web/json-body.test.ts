import { describe, expect, it } from 'vitest';
import { readJsonBody } from './json-body.js';
import { ProblemError } from './problem.js';

const read = (body: BodyInit) =>
  readJsonBody(
    new Request('http://x/', { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
    {
      maxBytes: 4096,
      types: ['application/json'],
    },
  );

async function problemOf(body: BodyInit): Promise<ProblemError> {
  const error = await read(body).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

describe('readJsonBody', () => {
  it('refuses bytes that are not UTF-8 instead of replacing them, naming the first string holding them', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"ok","b":["x","'),
      Buffer.from([0xc3]),
      Buffer.from('"]}'),
    ]);
    const problem = await problemOf(bytes);
    expect(problem).toMatchObject({ status: 400, code: 'INVALID_TEXT', errors: [{ field: 'b[1]' }] });
    expect(await read(Buffer.from('{"a":"café ✈"}'))).toEqual({ a: 'café ✈' });
  });

  it('spells odd keys in the field path as JSON strings, cut to 64 characters, bad text as ?', async () => {
    expect((await problemOf('{"a b":{"x":"\\u0000"}}')).errors).toEqual([
      { field: '["a b"].x', message: expect.any(String) },
    ]);
    const long = 'k'.repeat(100);
    expect((await problemOf(`{"${long}":"\\ud800"}`)).errors[0]!.field).toBe(`["${'k'.repeat(64)}"]`);
    expect((await problemOf('{"a\\u0000":1}')).errors[0]!.field).toBe('["?"]');
    expect((await problemOf('"\\u0000"')).errors[0]!.field).toBe('(body)');
  });
});
