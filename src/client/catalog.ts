import type { IsEventName } from './event-name.js';

/** A payload value Umami accepts: strings (≤ 500 chars), finite numbers, booleans, null. */
export type PropValue = string | number | boolean | null;

/**
 * An event payload: a flat record of {@link PropValue}s (`undefined` marks an omitted optional key).
 * Declare payloads as type literals (`type X = { … }`), not interfaces: interfaces lack the
 * implicit index signature this constraint needs.
 */
export type EventProps = { readonly [key: string]: PropValue | undefined };

/**
 * The events of the Trip Creation tracking plan and their payloads.
 *
 * @example
 * client.track('create_trip__toggle--roundtrip', { enabled: true });
 */
export type DefaultCatalog = {
  'create_trip__cta--generate': {
    destination_count: number;
    date_mode: 'exact' | 'flex';
    route_lock: boolean;
    round_trip: boolean;
    provider?: string;
    model?: string;
  };
  /** The wizard flow's CTA: a funnel click like the classic one (flow `wizard`). */
  'create_trip_wizard__cta--generate': {
    branch: string;
    destination_count: number;
    date_mode: 'exact' | 'flex';
    traveler_type?: string;
    transport_override?: boolean;
  };
  'create_trip__toggle--roundtrip': { enabled: boolean };
  'create_trip__toggle--route_lock': { enabled: boolean };
  'create_trip__section--expand': { section_id: string; expanded: boolean };
  'app__chunk_recovery--reload': { module_key: string; reason: string };
};

/**
 * The shape a catalog `C` must have: every key a valid event name ({@link IsEventName}), every
 * value an {@link EventProps}. Used as the F-bounded constraint `C extends ValidCatalog<C>`, so a
 * malformed name in an app's catalog is a compile error at the type argument.
 *
 * @example
 * type AppCatalog = DefaultCatalog & { 'checkout__cta--pay': { amount_eur: number } };
 * const client = createTripmeterClient<AppCatalog>();
 */
export type ValidCatalog<C> = {
  [K in keyof C]: K extends string ? (IsEventName<K> extends true ? EventProps : never) : never;
};

/** Event names of catalog `C`. */
export type EventNameOf<C> = keyof C & string;

/** Every name of {@link DefaultCatalog}, once (a missing or extra name is a compile error). */
const DEFAULT_NAMES: Record<keyof DefaultCatalog, true> = {
  'create_trip__cta--generate': true,
  'create_trip_wizard__cta--generate': true,
  'create_trip__toggle--roundtrip': true,
  'create_trip__toggle--route_lock': true,
  'create_trip__section--expand': true,
  'app__chunk_recovery--reload': true,
};

/**
 * The event names of {@link DefaultCatalog} at runtime: `tripmeter serve` accepts these on
 * `POST /v1/client-events` with the payload bounds of the browser SDK, and other names only under
 * its `clientEventPrefixes`. Not part of the browser bundle unless imported.
 *
 * @example
 * DEFAULT_EVENT_NAMES.includes('create_trip__cta--generate'); // true
 */
export const DEFAULT_EVENT_NAMES: readonly (keyof DefaultCatalog)[] = /* @__PURE__ */ Object.freeze(
  Object.keys(DEFAULT_NAMES) as (keyof DefaultCatalog)[],
);

/**
 * The name prefixes the mirror forwards to `tripmeter serve` (and `serve` accepts by default):
 * the create-trip pages of both flows. An app that extends its catalog by type (say with
 * `create_trip__model--select`) has those events mirrored and stored with no further setting.
 *
 * @example
 * DEFAULT_MIRROR_PREFIXES.some((p) => 'create_trip_wizard__cta--generate'.startsWith(p)); // true
 */
export const DEFAULT_MIRROR_PREFIXES: readonly string[] = /* @__PURE__ */ Object.freeze([
  'create_trip__',
  'create_trip_wizard__',
]);
