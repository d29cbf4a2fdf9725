/**
 * `tripmeter/client`: the browser SDK. Typed event catalog, consent-gated Umami delivery with a
 * pre-load queue, a first-party anonymous session id, the `X-Anon-Session-Id` request header,
 * an opt-in mirror of create-trip funnel events and login linkage by the app's access token
 * (`identify`). Zero dependencies, no Node built-ins.
 *
 * @example
 * import { createTripmeterClient } from 'tripmeter/client';
 * const tm = createTripmeterClient({ consent: hasConsent(), umami: { src, websiteId } });
 * tm.track('create_trip__cta--generate', { destination_count: 2, date_mode: 'flex', route_lock: false, round_trip: true });
 * await tm.fetch('/api/trips/enqueue', { method: 'POST', body });
 * supabase.auth.onAuthStateChange((_, session) => session && tm.identify(session.access_token));
 */
export { ANON_SESSION_STORAGE_KEY, getAnonSessionId, resetAnonSession } from './anon-session.js';
export type { DefaultCatalog, EventNameOf, EventProps, PropValue, ValidCatalog } from './catalog.js';
export { DEFAULT_EVENT_NAMES, DEFAULT_MIRROR_PREFIXES } from './catalog.js';
export {
  createTripmeterClient,
  type TripmeterClient,
  type TripmeterClientOptions,
} from './client.js';
export { type EventName, type IsEventName, type IsSnakeSegment, isEventName } from './event-name.js';
export type { IdentifyOutcome } from './identify.js';
export { MIRROR_CONTENT_TYPE, type MirrorEvent, type MirrorOptions } from './mirror.js';
export { MAX_PROP_KEYS, MAX_STRING_LENGTH, sanitizeProps } from './payload.js';
export type {
  ClientWindow,
  CryptoLike,
  DocumentLike,
  ScriptLike,
  StorageLike,
  UmamiTracker,
} from './platform.js';
export { ANON_SESSION_HEADER_NAME, trackedFetch, withAnonSession } from './request.js';
export type { ClientStats } from './stats.js';
export type { UmamiScriptOptions } from './umami-loader.js';
export { isUuidV4, randomUuidV4 } from './uuid.js';
