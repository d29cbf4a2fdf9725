import { getAnonSessionId, resetAnonSession } from './anon-session.js';
import {
  DEFAULT_MIRROR_PREFIXES,
  type DefaultCatalog,
  type EventNameOf,
  type ValidCatalog,
} from './catalog.js';
import { isEventName } from './event-name.js';
import { type IdentifyOutcome, sendIdentify } from './identify.js';
import { createMirror, type MirrorOptions } from './mirror.js';
import { MAX_PROP_KEYS, sanitizeProps } from './payload.js';
import { type ClientWindow, defaultWindow } from './platform.js';
import { trackedFetch, withAnonSession } from './request.js';
import { type ClientStats, createStats } from './stats.js';
import { injectUmamiScript, type UmamiScriptOptions } from './umami-loader.js';
import { createUmamiQueue } from './umami-queue.js';

/** Options of {@link createTripmeterClient}; all optional. */
export interface TripmeterClientOptions {
  /** Analytics consent at start (default `false`: nothing goes to Umami until `setConsent(true)`). */
  consent?: boolean;
  /** Load the Umami script once consent is given (see `loadUmami`). */
  umami?: UmamiScriptOptions;
  /** Also send `anon_session_id` in Umami event data (default `false`: the id stays first-party). */
  includeAnonIdInUmami?: boolean;
  /**
   * Mirror the create-trip events (`create_trip__*`, `create_trip_wizard__*`, or `mirror.prefixes`)
   * with the anon id to `POST {endpoint}/v1/client-events`; its endpoint and site key are also where
   * `identify` sends the login.
   */
  mirror?: MirrorOptions;
  /**
   * Gate the mirror on analytics consent too (default `false`). The mirror is first-party
   * functional telemetry of the app's own create-trip flow, sent to the app's own server
   * and no third party, so by default it does not wait for analytics consent; set this when
   * your consent policy classifies it as analytics.
   */
  mirrorRequiresConsent?: boolean;
  /** Most events kept while `window.umami` is missing (default 100; the oldest is dropped). */
  queueLimit?: number;
  /** Browser globals, for tests (default: the global object). */
  window?: ClientWindow;
  /** Clock for `occurred_at` (default `Date.now`). */
  now?: () => number;
}

/** The client returned by {@link createTripmeterClient}; no method throws. */
export interface TripmeterClient<C> {
  /** Tracks a catalog event: to Umami (with consent) and, for the create-trip prefixes, to the mirror. */
  track<N extends EventNameOf<C>>(name: N, props: C[N]): void;
  /** Grants or revokes analytics consent; revoking empties the Umami queue and stops polling. */
  setConsent(granted: boolean): void;
  /** Injects the Umami script now if consent is given, else as soon as it is. Idempotent. */
  loadUmami(options: UmamiScriptOptions): void;
  /** The anonymous session id (see the standalone `getAnonSessionId`). */
  getAnonSessionId(): string;
  /** Rotates the anonymous session id (logout) and returns the new one. */
  resetAnonSession(): string;
  /** `init` plus the `X-Anon-Session-Id` header. */
  withAnonSession(init?: RequestInit): RequestInit;
  /** `fetch` with the `X-Anon-Session-Id` header. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * At login in the browser: sends the app's access token (a JWT, e.g. Supabase's
   * `session.access_token`) with the anonymous id to `POST {mirror.endpoint}/v1/client-identify`,
   * where `tripmeter serve` verifies it and links the token's user to this browser's anonymous
   * session. Resolves with the outcome, or `undefined` (counted in `stats().identifyFailed`) when
   * there is no `mirror` server, consent is required and missing, or the call failed; never
   * rejects. The same token for the same anonymous id is sent once per page.
   *
   * @example
   * supabase.auth.onAuthStateChange((_, session) => session && tm.identify(session.access_token));
   */
  identify(accessToken: string): Promise<IdentifyOutcome | undefined>;
  /** Sends the mirror batch now and delivers queued Umami events if Umami is there. */
  flush(): void;
  /** A snapshot of the counters. */
  stats(): ClientStats;
}

/**
 * Creates the browser client. Pass your own catalog to add events; names and payloads are
 * checked at compile time.
 *
 * @example
 * const tm = createTripmeterClient({ umami: { src: '/stats/script.js', websiteId }, mirror: { endpoint, siteKey } });
 * tm.track('create_trip__toggle--roundtrip', { enabled: true });
 * onConsentChange((granted) => tm.setConsent(granted));
 */
export function createTripmeterClient<C extends ValidCatalog<C> = DefaultCatalog>(
  options: TripmeterClientOptions = {},
): TripmeterClient<C> {
  const win = options.window ?? defaultWindow();
  const stats = createStats();
  const umami = createUmamiQueue(win, stats, options.queueLimit);
  const mirror = options.mirror && createMirror(win, options.mirror, stats);
  const now = options.now ?? Date.now;
  const prefixes = options.mirror?.prefixes ?? DEFAULT_MIRROR_PREFIXES;
  const mirrored = (name: string) => prefixes.some((prefix) => name.startsWith(prefix));
  let consent = !!options.consent;
  let script: UmamiScriptOptions | undefined;
  let injected = false;
  let identified: [string, Promise<IdentifyOutcome | undefined>] | undefined;

  const maybeInject = () => {
    if (consent && script && !injected && win.document) {
      injected = true;
      injectUmamiScript(win.document, script, umami.drain);
    }
  };
  const client: TripmeterClient<C> = {
    track(name, props) {
      if (!isEventName(name)) return void stats.invalid++;
      const withId = options.includeAnonIdInUmami;
      const data = sanitizeProps(props, stats, withId ? MAX_PROP_KEYS - 1 : MAX_PROP_KEYS);
      const id = getAnonSessionId(win);
      if (mirror && mirrored(name) && (consent || !options.mirrorRequiresConsent)) {
        mirror.push({ name, anon_session_id: id, occurred_at: new Date(now()).toISOString(), props: data });
      }
      if (!consent) return void stats.blocked++;
      umami.push(name, withId ? { ...data, anon_session_id: id } : data);
    },
    setConsent(granted) {
      consent = granted;
      if (granted) {
        maybeInject();
        umami.drain();
      } else {
        umami.clear();
        if (options.mirrorRequiresConsent) mirror?.clear();
      }
    },
    loadUmami(scriptOptions) {
      script = scriptOptions;
      maybeInject();
    },
    getAnonSessionId: () => getAnonSessionId(win),
    resetAnonSession: () => resetAnonSession(win),
    withAnonSession: (init) => withAnonSession(init, win),
    fetch: (input, init) => trackedFetch(input, init, win),
    identify(accessToken) {
      const id = getAnonSessionId(win);
      // onAuthStateChange repeats a session (initial, signed in, tab focus): link it once.
      const key = `${id} ${accessToken}`;
      if (identified?.[0] === key) return identified[1];
      if (!options.mirror || (options.mirrorRequiresConsent && !consent)) {
        stats.identifyFailed++;
        return Promise.resolve(undefined);
      }
      const sent = sendIdentify(win, options.mirror, id, accessToken, stats);
      identified = [key, sent];
      // A failed call may be retried with the same token.
      void sent.then((outcome) => {
        if (!outcome && identified?.[1] === sent) identified = undefined;
      });
      return sent;
    },
    flush() {
      mirror?.flush();
      umami.drain();
    },
    stats: () => ({ ...stats, queued: umami.size() }),
  };
  if (options.umami) client.loadUmami(options.umami);
  return client;
}
