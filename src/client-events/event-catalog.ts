import { DEFAULT_EVENT_NAMES, DEFAULT_MIRROR_PREFIXES, isEventName } from '../client/index.js';
import { EXTENSION_PROP_BOUNDS, type PropBounds, SDK_PROP_BOUNDS } from './props.js';

/** Longest event name accepted under a prefix (the default catalog's longest is 40). */
export const MAX_EVENT_NAME_LENGTH = 100;

const DEFAULT_NAMES: ReadonlySet<string> = new Set(DEFAULT_EVENT_NAMES);

/** Which client events `serve` accepts, and with which payload bounds. */
export interface ClientEventCatalog {
  /** Names of the default catalog, with the browser SDK's payload bounds. */
  readonly names: ReadonlySet<string>;
  /** Prefixes under which any well-formed name is accepted, with the tighter extension bounds. */
  readonly prefixes: readonly string[];
}

/**
 * The catalog `serve` accepts: the default catalog's names, and any well-formed
 * `page__element[--detail]` name (at most 100 characters) under one of `prefixes` (the setting
 * `clientEventPrefixes`, by default the mirror's own `create_trip__` and `create_trip_wizard__`).
 * An app extends its browser catalog by type; with a prefix here its events are stored too.
 *
 * @example
 * const catalog = clientEventCatalog(config.clientEventPrefixes);
 * propBoundsOf(catalog, 'create_trip__model--select'); // EXTENSION_PROP_BOUNDS
 */
export function clientEventCatalog(
  prefixes: readonly string[] = DEFAULT_MIRROR_PREFIXES,
): ClientEventCatalog {
  return Object.freeze({ names: DEFAULT_NAMES, prefixes: Object.freeze([...prefixes]) });
}

/** The catalog of the defaults. */
export const DEFAULT_CLIENT_CATALOG = clientEventCatalog();

/**
 * The payload bounds of an event name in `catalog`, or `undefined` when the name is not accepted:
 * a default name's are the SDK's; an extension name's are tighter, since nothing declares its
 * payload on this side.
 */
export function propBoundsOf(catalog: ClientEventCatalog, name: string): PropBounds | undefined {
  if (catalog.names.has(name)) return SDK_PROP_BOUNDS;
  if (name.length > MAX_EVENT_NAME_LENGTH || !isEventName(name)) return undefined;
  return catalog.prefixes.some((prefix) => name.startsWith(prefix)) ? EXTENSION_PROP_BOUNDS : undefined;
}
