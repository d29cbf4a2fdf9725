import { describe, expect, it } from 'vitest';
import { isEventName } from './index.js';

describe('isEventName', () => {
  it.each([
    'create_trip__cta--generate',
    'create_trip__toggle--roundtrip',
    'create_trip__toggle--route_lock',
    'create_trip__section--expand',
    'app__chunk_recovery--reload',
    'page2__el_3',
    'a__b',
  ])('accepts %s', (name) => {
    expect(isEventName(name)).toBe(true);
  });

  it.each([
    'CreateTrip',
    'create-trip__cta',
    'create_trip__',
    'create_trip__cta--',
    '__cta',
    'create_trip',
    'create__trip__cta',
    'create_trip__cta--a--b',
    'create_trip__Cta',
    'create_trip___cta',
    'create_trip_ __cta',
    '1trip__cta',
    'trip__cta_',
    '',
  ])('rejects %j', (name) => {
    expect(isEventName(name)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isEventName(42)).toBe(false);
    expect(isEventName(undefined)).toBe(false);
  });
});
