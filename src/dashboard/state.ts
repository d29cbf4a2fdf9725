/** The time presets of the dashboard. */
export const PRESETS = [
  { id: '24h', label: '24 h', hours: 24 },
  { id: '7d', label: '7 d', hours: 24 * 7 },
  { id: '30d', label: '30 d', hours: 24 * 30 },
  { id: '90d', label: '90 d', hours: 24 * 90 },
] as const;

/** A preset id. */
export type PresetId = (typeof PRESETS)[number]['id'];

/** What the dashboard shows: a preset range and the dimension filters. */
export interface ViewState {
  preset: PresetId;
  provider: string;
  model: string;
  version: string;
  source: string;
  /** The app's create-trip flow (`classic`, `wizard`, …); empty for all. */
  flow: string;
}

/** The initial view: the last 7 days, no filters. */
export const initialState = (): ViewState => ({
  preset: '7d',
  provider: '',
  model: '',
  version: '',
  source: '',
  flow: '',
});

/** The query string of a view: `from`/`to` from the preset (to = now, next minute) and set filters. */
export function queryOf(state: ViewState, now = Date.now()): URLSearchParams {
  const hours = PRESETS.find((p) => p.id === state.preset)?.hours ?? 24 * 7;
  const to = Math.ceil(now / 60_000) * 60_000;
  const params = new URLSearchParams({
    from: new Date(to - hours * 3_600_000).toISOString(),
    to: new Date(to).toISOString(),
  });
  if (state.provider) params.set('provider', state.provider);
  if (state.model) params.set('model', state.model);
  if (state.version) params.set('prompt_contract_version', state.version);
  if (state.source) params.set('source', state.source);
  if (state.flow) params.set('flow', state.flow);
  return params;
}
