import { describe, expect, it } from 'vitest';
import {
  invalidFailFields,
  invalidFinishContextFields,
  invalidStartFields,
  invalidSucceedFields,
  isRequestId,
} from './attempt-input.js';

const anon = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

describe('tracker input checks', () => {
  it('passes valid input, with any field left out', () => {
    expect(invalidStartFields({})).toBeUndefined();
    expect(
      invalidStartFields({
        requestId: 'req_01J9ZK',
        anonSessionId: anon,
        userId: anon.toUpperCase(),
        input: { anything: ['goes', 1] },
        effectiveDefaults: 42,
        promptContractVersion: 'classic_v1.2-beta',
        provider: 'openai',
        model: 'gpt-5.4',
        source: 'app',
        fingerprint: 'fp_AbC-123_xyz',
        unknownKey: 'is ignored',
      }),
    ).toBeUndefined();
    expect(invalidSucceedFields({ tripId: 't-1', provider: 'x', model: 'y' })).toBeUndefined();
    expect(
      invalidFailFields({ errorCode: 'OPENAI_REQUEST_TIMEOUT', error: new Error('x'), httpStatus: 504 }),
    ).toBeUndefined();
    expect(invalidFinishContextFields({ anonSessionId: anon, userId: anon, source: 'demo' })).toBeUndefined();
  });

  it('names every field that fails, in field order', () => {
    expect(
      invalidStartFields({
        requestId: 'has space',
        anonSessionId: 'guest',
        userId: '00000000-0000-0000-0000-000000000000',
        promptContractVersion: 'v 1',
        provider: '',
        model: 'm'.repeat(129),
        source: 'Not A Source',
        fingerprint: 'short',
      }),
    ).toEqual([
      'requestId',
      'anonSessionId',
      'userId',
      'promptContractVersion',
      'provider',
      'model',
      'source',
      'fingerprint',
    ]);
    expect(
      invalidFinishContextFields({ anonSessionId: 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', source: 1 }),
    ).toEqual(['anonSessionId', 'source']);
    expect(invalidSucceedFields({ tripId: '' })).toEqual(['tripId']);
  });

  it('refuses values of the wrong type, null included', () => {
    expect(invalidStartFields({ requestId: 42, anonSessionId: null, source: ['app'] })).toEqual([
      'requestId',
      'anonSessionId',
      'source',
    ]);
  });

  it('requires the error code of a failure and bounds its HTTP status', () => {
    expect(invalidFailFields({})).toEqual(['errorCode']);
    // Any string is a code (normalised later: an outcome is never dropped for its code's shape).
    expect(invalidFailFields({ errorCode: 'TypeError' })).toBeUndefined();
    expect(invalidFailFields({ errorCode: 42 })).toEqual(['errorCode']);
    expect(invalidFailFields({ errorCode: 'x'.repeat(1_001) })).toEqual(['errorCode']);
    for (const httpStatus of [99, 600, 504.5, Number.NaN, '504']) {
      expect(invalidFailFields({ errorCode: 'RATE_LIMITED', httpStatus })).toEqual(['httpStatus']);
    }
    expect(invalidFailFields({ errorCode: 'RATE_LIMITED', httpStatus: 100 })).toBeUndefined();
    expect(invalidFailFields({ errorCode: 'RATE_LIMITED', httpStatus: 599 })).toBeUndefined();
  });

  it('refuses a value that is not a plain object as (root)', () => {
    for (const value of [undefined, null, 'r-1', 7, ['requestId']]) {
      expect(invalidStartFields(value)).toEqual(['(root)']);
      expect(invalidFailFields(value)).toEqual(['(root)']);
    }
  });

  it('checks request ids: 1–128 printable ASCII characters without spaces', () => {
    expect(isRequestId('r')).toBe(true);
    expect(isRequestId('x'.repeat(128))).toBe(true);
    for (const bad of ['', 'x'.repeat(129), 'a b', 'ü', 42]) expect(isRequestId(bad)).toBe(false);
  });
});
