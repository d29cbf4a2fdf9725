import type { ClientWindow, ScriptLike, StorageLike, UmamiTracker } from '../platform.js';

/** A manual clock: `setTimeout` callbacks run only when `advance` passes their time. */
export function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn: () => void, ms: number): number {
      pending.set(nextId, { at: now + ms, fn });
      return nextId++;
    },
    clearTimeout(id: unknown): void {
      pending.delete(id as number);
    },
    /** Runs due callbacks in time order, including ones scheduled while advancing. */
    advance(ms: number): void {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    delays: () => [...pending.values()].map((t) => t.at - now),
    count: () => pending.size,
  };
}

/** A Map-backed Storage. */
export function fakeStorage(): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

/** A Storage whose every method throws, like Safari private mode or a blocked iframe. */
export function throwingStorage(): StorageLike {
  const fail = (): never => {
    throw new DOMException('blocked', 'SecurityError');
  };
  return { getItem: fail, setItem: fail, removeItem: fail };
}

type Listeners = Map<string, (() => void)[]>;
const on = (listeners: Listeners) => (type: string, fn: () => void) => {
  listeners.set(type, [...(listeners.get(type) ?? []), fn]);
};
const fire = (listeners: Listeners, type: string) => {
  for (const fn of listeners.get(type) ?? []) fn();
};

/** A fake script element recording its attributes and `load` listeners. */
export type FakeScript = ScriptLike & { attributes: Record<string, string>; load(): void };

/** A fake window with storage, timers, a document, event listeners and an installable Umami. */
export function fakeWindow(overrides: Partial<ClientWindow> = {}) {
  const timers = fakeTimers();
  const storage = fakeStorage();
  const winListeners: Listeners = new Map();
  const docListeners: Listeners = new Map();
  const scripts: FakeScript[] = [];
  const umamiCalls: [string, unknown][] = [];
  const document = {
    visibilityState: 'visible',
    head: {
      append: (node: FakeScript) => void scripts.push(node),
    },
    createElement: (): FakeScript => {
      const scriptListeners: Listeners = new Map();
      return {
        src: '',
        defer: false,
        attributes: {},
        setAttribute(name, value) {
          this.attributes[name] = value;
        },
        addEventListener: on(scriptListeners),
        load: () => fire(scriptListeners, 'load'),
      };
    },
    addEventListener: on(docListeners),
  };
  const win: ClientWindow = {
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    localStorage: storage,
    crypto: globalThis.crypto,
    document,
    addEventListener: on(winListeners),
    ...overrides,
  };
  const umami: UmamiTracker = { track: (name, data) => void umamiCalls.push([name, data]) };
  return {
    win,
    timers,
    storage,
    scripts,
    umamiCalls,
    installUmami() {
      win.umami = umami;
    },
    hide() {
      document.visibilityState = 'hidden';
      fire(docListeners, 'visibilitychange');
    },
    pagehide: () => fire(winListeners, 'pagehide'),
  };
}
