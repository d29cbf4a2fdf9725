import type { PropValue } from './catalog.js';

/** The part of `window.umami` the client uses (Umami's tracker script defines it). */
export interface UmamiTracker {
  track(name: string, data?: Record<string, PropValue>): unknown;
}

/** The part of `Storage` the anonymous session uses; any method may throw. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of Web Crypto used to mint ids (`randomUUID` needs a secure context). */
export interface CryptoLike {
  randomUUID?(): string;
  getRandomValues?(array: Uint8Array): Uint8Array;
}

/** The part of a `<script>` element the Umami loader sets. */
export interface ScriptLike {
  src: string;
  defer: boolean;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: () => void): void;
}

/** The part of `document` the client uses. */
export interface DocumentLike {
  visibilityState?: string;
  createElement(tag: 'script'): ScriptLike;
  /** `append` takes the element `createElement` returned (typed `never` so DOM's `Node` fits). */
  head: { append(node: never): void } | null;
  addEventListener(type: string, listener: () => void): void;
}

/**
 * Everything the client touches in the browser, passed in so tests can fake it. A real
 * `window` satisfies it; every member except the timers is optional, and a missing one
 * degrades (no storage: id in memory; no `sendBeacon`: `fetch`) instead of throwing.
 *
 * @example
 * createTripmeterClient({ window: { setTimeout, clearTimeout, localStorage: fakeStorage } });
 */
export interface ClientWindow {
  umami?: UmamiTracker | undefined;
  localStorage?: StorageLike;
  crypto?: CryptoLike;
  document?: DocumentLike;
  navigator?: { sendBeacon?(url: string, data: Blob): boolean };
  fetch?(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  setTimeout(handler: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  addEventListener?(type: string, listener: () => void): void;
}

/** The global object as a {@link ClientWindow} (the real `window` in a browser). */
export function defaultWindow(): ClientWindow {
  return globalThis as unknown as ClientWindow;
}
