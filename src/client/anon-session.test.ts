import { describe, expect, it } from 'vitest';
import { fakeStorage, fakeWindow, throwingStorage } from './__fixtures__/fake-window.js';
import { ANON_SESSION_STORAGE_KEY, getAnonSessionId, isUuidV4, resetAnonSession } from './index.js';

const VALID = '2f1c7a52-9b7e-4c41-8f0e-0c3b8d1a6e55';

describe('getAnonSessionId', () => {
  it('mints a v4 UUID and persists it under the documented key', () => {
    const { win, storage } = fakeWindow();
    const id = getAnonSessionId(win);
    expect(isUuidV4(id)).toBe(true);
    expect(ANON_SESSION_STORAGE_KEY).toBe('tripmeter.anon_session_id');
    expect(storage.map.get('tripmeter.anon_session_id')).toBe(id);
    expect(getAnonSessionId(win)).toBe(id);
  });

  it('reuses a stored id (a new page load of the same browser)', () => {
    const storage = fakeStorage();
    storage.setItem(ANON_SESSION_STORAGE_KEY, VALID);
    expect(getAnonSessionId(fakeWindow({ localStorage: storage }).win)).toBe(VALID);
  });

  it.each([
    'not-a-uuid',
    '',
    '2F1C7A52-9B7E-4C41-8F0E-0C3B8D1A6E55',
    '2f1c7a52-9b7e-1c41-8f0e-0c3b8d1a6e55',
    `${VALID}"><img src=x>`,
  ])('replaces a tampered stored value %j', (tampered) => {
    const { win, storage } = fakeWindow();
    storage.setItem(ANON_SESSION_STORAGE_KEY, tampered);
    const id = getAnonSessionId(win);
    expect(isUuidV4(id)).toBe(true);
    expect(storage.map.get(ANON_SESSION_STORAGE_KEY)).toBe(id);
  });

  it('keeps a stable in-memory id when storage throws', () => {
    const { win } = fakeWindow({ localStorage: throwingStorage() });
    const id = getAnonSessionId(win);
    expect(isUuidV4(id)).toBe(true);
    expect(getAnonSessionId(win)).toBe(id);
  });

  it('keeps a stable in-memory id when setItem hits the quota', () => {
    const storage = fakeStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const { win } = fakeWindow({ localStorage: storage });
    const id = getAnonSessionId(win);
    expect(getAnonSessionId(win)).toBe(id);
  });

  it('works without localStorage, and when reading localStorage itself throws', () => {
    const { win } = fakeWindow({ localStorage: undefined });
    expect(getAnonSessionId(win)).toBe(getAnonSessionId(win));
    const blocked = fakeWindow().win;
    Object.defineProperty(blocked, 'localStorage', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    const id = getAnonSessionId(blocked);
    expect(isUuidV4(id)).toBe(true);
    expect(getAnonSessionId(blocked)).toBe(id);
  });

  it('restores the page id when the stored value is tampered mid-page', () => {
    const { win, storage } = fakeWindow();
    const id = getAnonSessionId(win);
    storage.setItem(ANON_SESSION_STORAGE_KEY, 'garbage');
    expect(getAnonSessionId(win)).toBe(id);
    expect(storage.map.get(ANON_SESSION_STORAGE_KEY)).toBe(id);
  });
});

describe('resetAnonSession', () => {
  it('rotates the id and stores the new one', () => {
    const { win, storage } = fakeWindow();
    const before = getAnonSessionId(win);
    const after = resetAnonSession(win);
    expect(after).not.toBe(before);
    expect(isUuidV4(after)).toBe(true);
    expect(getAnonSessionId(win)).toBe(after);
    expect(storage.map.get(ANON_SESSION_STORAGE_KEY)).toBe(after);
  });

  it('rotates the in-memory id when storage is unavailable', () => {
    const { win } = fakeWindow({ localStorage: throwingStorage() });
    const before = getAnonSessionId(win);
    const after = resetAnonSession(win);
    expect(after).not.toBe(before);
    expect(getAnonSessionId(win)).toBe(after);
  });
});
