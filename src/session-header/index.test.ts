import { describe, expect, it } from 'vitest';
import { ANON_SESSION_HEADER, readAnonSessionId } from './index.js';

const ID = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';

describe('readAnonSessionId from a Fetch Request', () => {
  it('reads and lower-cases the header, whatever its casing', () => {
    const request = new Request('https://app.example/api', {
      headers: { 'X-Anon-Session-Id': ID.toUpperCase() },
    });
    expect(ANON_SESSION_HEADER).toBe('x-anon-session-id');
    expect(readAnonSessionId(request)).toBe(ID);
    expect(readAnonSessionId({ headers: new Headers({ [ANON_SESSION_HEADER]: ` ${ID} ` }) })).toBe(ID);
  });

  it('returns undefined when absent or invalid', () => {
    expect(readAnonSessionId(new Request('https://app.example/'))).toBeUndefined();
    for (const bad of [
      'nope',
      `${ID}x`,
      '2f1c7a52-9b7e-0c41-8f0e-0c3b8d1a6e55',
      '2f1c7a52-9b7e-4c41-7f0e-0c3b8d1a6e55',
    ]) {
      const request = new Request('https://app.example/', { headers: { [ANON_SESSION_HEADER]: bad } });
      expect(readAnonSessionId(request)).toBeUndefined();
    }
  });

  it('rejects a header repeated with two values (fetch joins them)', () => {
    const headers = new Headers();
    headers.append(ANON_SESSION_HEADER, ID);
    headers.append(ANON_SESSION_HEADER, 'b1c7a52a-9b7e-4c41-8f0e-0c3b8d1a6e55');
    expect(readAnonSessionId({ headers })).toBeUndefined();
  });
});

describe('readAnonSessionId from a Node-style headers record', () => {
  it('reads the lower-case key Node produces', () => {
    expect(readAnonSessionId({ headers: { host: 'a', 'x-anon-session-id': ID } })).toBe(ID);
  });

  it('accepts other key casings and takes the first of an array', () => {
    expect(readAnonSessionId({ headers: { 'X-Anon-Session-Id': ID.toUpperCase() } })).toBe(ID);
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': [ID, 'junk'] } })).toBe(ID);
  });

  it('returns undefined when absent, empty or invalid', () => {
    expect(readAnonSessionId({ headers: {} })).toBeUndefined();
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': undefined } })).toBeUndefined();
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': [] } })).toBeUndefined();
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': '' } })).toBeUndefined();
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': "' OR 1=1 --" } })).toBeUndefined();
  });

  it('accepts UUID versions other than 4 (e.g. v7)', () => {
    const v7 = '0190b2a4-5f1e-7c3d-9a8b-1234567890ab';
    expect(readAnonSessionId({ headers: { 'x-anon-session-id': v7 } })).toBe(v7);
  });
});
