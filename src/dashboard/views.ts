/** Which page of the dashboard is shown. */
export type View =
  | { kind: 'dashboard' }
  /** Attempts matching the panels' filters plus `filter` (or, for a lookup, `filter` alone). */
  | { kind: 'attempts'; title: string; filter: Record<string, string>; lookup: boolean }
  | { kind: 'attempt'; requestId: string };

/** What the lookup form can find an attempt by. */
export const LOOKUPS = [
  { id: 'request_id', label: 'Request id' },
  { id: 'trip_id', label: 'Trip id' },
  { id: 'anon_session_id', label: 'Anon session' },
  { id: 'user_id', label: 'User id' },
] as const;

/** A lookup kind. */
export type LookupKind = (typeof LOOKUPS)[number]['id'];

/**
 * The view a lookup opens: a request id opens the attempt itself; a trip, anonymous session or
 * user id lists its attempts over the whole raw history (no range).
 */
export function lookupView(kind: LookupKind, value: string): View {
  if (kind === 'request_id') return { kind: 'attempt', requestId: value };
  const label = LOOKUPS.find((l) => l.id === kind)?.label ?? kind;
  return {
    kind: 'attempts',
    title: `Attempts of ${label.toLowerCase()} ${value}`,
    filter: { [kind]: value },
    lookup: true,
  };
}

/**
 * The query of an attempts view: the panels' query (range and filters) plus the view's filter,
 * or the view's filter alone for a lookup; `cursor` for a next page.
 */
export function attemptsQuery(
  view: Extract<View, { kind: 'attempts' }>,
  panels: URLSearchParams,
  cursor?: string,
): URLSearchParams {
  const params = view.lookup ? new URLSearchParams() : new URLSearchParams(panels);
  for (const [name, value] of Object.entries(view.filter)) params.set(name, value);
  if (cursor) params.set('cursor', cursor);
  return params;
}
