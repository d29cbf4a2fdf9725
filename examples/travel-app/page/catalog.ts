import type { DefaultCatalog } from 'tripmeter/client';

/**
 * The app's events: the plan's catalog (both flows' CTAs included) extended by type with the
 * events the real create-trip pages fire, and one of the app's own `trip__` page. Names and
 * payloads are checked at compile time; `serve` stores names under its `clientEventPrefixes`.
 */
export type AppCatalog = DefaultCatalog & {
  'create_trip__model--select': { provider: string; model: string };
  'create_trip__destination_recommendation--select': { destination: string };
  'create_trip__cta--blocked_offline': { flow: string };
  'create_trip__cta--queue_pending_auth': { flow: string };
  'create_trip__cta--redirect_login': { flow: string };
  'create_trip__ai_request--success': { flow: string; provider: string; model: string };
  'create_trip__ai_request--failed': { flow: string; provider: string; model: string; error_code: string };
  'trip__view--open': { flow: string };
};
