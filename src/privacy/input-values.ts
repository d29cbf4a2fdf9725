/**
 * Value sets of the travel app's create-trip input (test/fixtures/create-trip-inputs.json).
 * The input snapshot keeps only values from these sets for its enum fields.
 */

/** Budget levels. */
export const BUDGETS = ['Low', 'Medium', 'High', 'Luxury'] as const;
/** Travel paces. */
export const PACES = ['Relaxed', 'Balanced', 'Fast'] as const;
/** Who travels: a coarse category, never details about the people. */
export const TRAVELER_TYPES = ['solo', 'couple', 'friends', 'family'] as const;
/** Whether dates are exact or a flexible window. */
export const DATE_INPUT_MODES = ['exact', 'flex'] as const;
/** Season of a flexible date window. */
export const FLEX_WINDOWS = ['spring', 'summer', 'autumn', 'winter', 'shoulder'] as const;
/** Trip style tags. */
export const TRIP_STYLE_TAGS = ['culture', 'food', 'nature', 'beaches', 'nightlife', 'remote-work'] as const;
/** Transport preferences. */
export const TRANSPORT_PREFERENCES = [
  'auto',
  'plane',
  'car',
  'train',
  'bus',
  'cycle',
  'walk',
  'camper',
] as const;
/** Create-trip flows of the app today (the snapshot takes any `FLOW_PATTERN` identifier). */
export const FLOWS = ['classic', 'wizard', 'surprise'] as const;
/** Branches of the wizard flow. */
export const WIZARD_BRANCHES = [
  'known_destinations_exact_dates',
  'known_destinations_flexible_dates',
  'known_dates_need_destination',
  'need_inspiration',
] as const;

/**
 * Vibe tags of the wizard (`tripVibeTags`): a closed set, so a tag cannot carry a name or a
 * health detail. The app's style tags plus the moods its wizard offers; other tags are dropped
 * and counted. Extending it is a change here, on purpose.
 */
export const VIBE_TAGS = [
  ...TRIP_STYLE_TAGS,
  'relaxation',
  'adventure',
  'romance',
  'wellness',
  'history',
  'art',
  'shopping',
  'outdoors',
  'wildlife',
  'hiking',
  'festivals',
  'road-trip',
  'islands',
  'luxury',
] as const;

/** Most items kept of a list of places (destination order, selected islands, countries). */
export const MAX_PLACES = 50;
/** Most vibe tags kept. */
export const MAX_VIBE_TAGS = 12;

/**
 * A place label (a country, island or destination picked in the form): letters, marks, spaces
 * and `. ' ’ ( ) -` only, at most 100 characters. No digits, `@`, `:` or `/`, so a phone number,
 * an e-mail address, a handle or a URL typed into a place field is not kept.
 */
export const PLACE_LABEL_PATTERN = /^[\p{L}\p{M}][\p{L}\p{M} .'’()-]{0,99}$/u;

/** Provider slug, e.g. `openai`. */
export const PROVIDER_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;
/** Model id, e.g. `gpt-5.4`, `deepseek/deepseek-v3.2`: an identifier, never free text. */
export const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}$/;
/** BCP 47-ish locale tag, e.g. `de`, `en-GB`, `zh-Hant-TW` (at most 35 characters). */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,4}$/;

/** Keys of `travelerDetails` that are counts, and the snapshot field each becomes. */
export const TRAVELER_COUNT_KEYS: Readonly<Record<string, 'adults' | 'children' | 'babies' | 'travelers'>> = {
  familyAdults: 'adults',
  familyChildren: 'children',
  familyBabies: 'babies',
  friendsCount: 'travelers',
};
