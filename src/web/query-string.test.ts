import { describe, expect, it } from 'vitest';
import { ProblemError } from './problem.js';
import { readQuery } from './query-string.js';

const fieldOf = (url: string) => {
  try {
    readQuery(url);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_QUERY' });
    return (error as ProblemError).errors[0]?.field;
  }
  throw new Error(`${url} was accepted`);
};

describe('readQuery', () => {
  it('decodes names and values, + as a space, and ignores the fragment', () => {
    expect({ ...readQuery('http://x/p?a=1&b=caf%C3%A9+bar&c&=v#f=2') }).toEqual({
      a: '1',
      b: 'café bar',
      c: '',
      '': 'v',
    });
    expect({ ...readQuery('http://x/p') }).toEqual({});
  });

  it('refuses NUL and control characters, bad escapes, repeats and prototype names, naming the parameter', () => {
    expect(fieldOf('http://x/?provider=%00')).toBe('provider');
    expect(fieldOf('http://x/?provider=a%0Ab')).toBe('provider');
    expect(fieldOf('http://x/?model=%ED%A0%80')).toBe('model'); // an encoded lone surrogate
    expect(fieldOf('http://x/?model=%FF')).toBe('model');
    expect(fieldOf('http://x/?model=50%')).toBe('model');
    expect(fieldOf('http://x/?from=1&from=2')).toBe('from');
    expect(fieldOf('http://x/?%00=1')).toBe('(query)');
    expect(fieldOf('http://x/?__proto__=1')).toBe('(query)');
  });
});
