import { ApiError, adminKey, getJson } from './api.js';
import { attemptPanels, attemptsPanel } from './attempts-view.js';
import { h } from './dom.js';
import { costPanel, phasesPanel, queuePanel } from './generation-panels.js';
import {
  alertsPanel,
  failuresPanel,
  funnelPanel,
  kpisPanel,
  modelsPanel,
  panel,
  timeseriesPanel,
  versionsPanel,
} from './panels.js';
import { initialState, PRESETS, queryOf, type ViewState } from './state.js';
import type {
  AlertsJson,
  AttemptDetailJson,
  AttemptsPageJson,
  CostJson,
  FailuresJson,
  FunnelJson,
  ModelsJson,
  PhasesJson,
  QueueJson,
  RetriesJson,
  StuckJson,
  SummaryJson,
  TimeseriesJson,
  VersionsJson,
} from './types.js';
import { attemptsQuery, LOOKUPS, type LookupKind, lookupView, type View } from './views.js';

const root = document.getElementById('app') as HTMLElement;
const state: ViewState = initialState();
const seen = { provider: new Set<string>(), model: new Set<string>(), version: new Set<string>() };
let generation = 0;
let view: View = { kind: 'dashboard' };

function keyForm(message?: string): void {
  const input = h('input', {
    type: 'password',
    name: 'key',
    autocomplete: 'off',
    placeholder: 'tm_admin_…',
    required: true,
    'aria-label': 'Admin API key',
  });
  const form = h(
    'form',
    { class: 'key-form', id: 'key-form' },
    h('h1', {}, 'tripmeter'),
    h('p', {}, 'Enter an admin API key. It is kept for this browser tab only.'),
    h(
      'p',
      {},
      'The first npm start printed one. For a new one, stop the service if it runs on the embedded ' +
        'database (PGlite is single-process), then run ',
      h('code', {}, 'npm run tripmeter -- keys create --scope admin'),
      ' from a clone, or ',
      h('code', {}, 'npx tripmeter keys create --scope admin'),
      ' where tripmeter is installed.',
    ),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    input,
    h('button', { type: 'submit' }, 'Open dashboard'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    adminKey.set(input.value.trim());
    render();
  });
  root.replaceChildren(form);
  input.focus();
}

function select(
  name: keyof typeof seen,
  label: string,
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const el = h(
    'select',
    { name, 'aria-label': label },
    h('option', { value: '' }, `All ${label.toLowerCase()}s`),
  );
  for (const option of [...seen[name]].sort()) el.appendChild(h('option', { value: option }, option));
  el.value = value;
  el.addEventListener('change', () => onChange(el.value));
  return h('label', { class: 'filter' }, h('span', {}, label), el);
}

function toolbar(): HTMLElement {
  const presets = PRESETS.map((p) =>
    h(
      'button',
      {
        type: 'button',
        class: p.id === state.preset ? 'preset active' : 'preset',
        'data-preset': p.id,
        'aria-pressed': String(p.id === state.preset),
        onclick: () => update({ preset: p.id }),
      },
      p.label,
    ),
  );
  const source = h('input', {
    type: 'text',
    name: 'source',
    value: state.source,
    placeholder: 'app',
    'aria-label': 'Source',
    size: 8,
  });
  source.addEventListener('change', () => update({ source: source.value.trim() }));
  // Free text with suggestions: the metrics API lists no flows, and an app may add its own.
  const flow = h('input', {
    type: 'text',
    name: 'flow',
    value: state.flow,
    placeholder: 'all',
    list: 'flow-options',
    'aria-label': 'Flow',
    size: 8,
  });
  flow.addEventListener('change', () => update({ flow: flow.value.trim() }));
  const flows = h(
    'datalist',
    { id: 'flow-options' },
    ...FLOW_SUGGESTIONS.map((f) => h('option', { value: f })),
  );
  return h(
    'header',
    { class: 'toolbar' },
    h('h1', {}, 'tripmeter'),
    view.kind === 'dashboard'
      ? null
      : h(
          'button',
          { type: 'button', class: 'back', onclick: () => go({ kind: 'dashboard' }) },
          '← Dashboard',
        ),
    h('div', { class: 'presets', role: 'group', 'aria-label': 'Time range' }, ...presets),
    h(
      'div',
      { class: 'filters' },
      select('provider', 'Provider', state.provider, (v) => update({ provider: v })),
      select('model', 'Model', state.model, (v) => update({ model: v })),
      select('version', 'Version', state.version, (v) => update({ version: v })),
      h('label', { class: 'filter' }, h('span', {}, 'Source'), source),
      h('label', { class: 'filter' }, h('span', {}, 'Flow'), flow, flows),
    ),
    lookupForm(),
    h(
      'button',
      {
        type: 'button',
        class: 'signout',
        onclick: () => {
          adminKey.clear();
          keyForm();
        },
      },
      'Forget key',
    ),
  );
}

function update(patch: Partial<ViewState>): void {
  Object.assign(state, patch);
  render();
}

function go(next: View): void {
  view = next;
  render();
}

/** Find an attempt by request id, or the attempts of a trip, anonymous session or user. */
function lookupForm(): HTMLElement {
  const kind = h(
    'select',
    { name: 'lookup-kind', 'aria-label': 'Find by' },
    ...LOOKUPS.map((l) => h('option', { value: l.id }, l.label)),
  );
  const value = h('input', {
    type: 'search',
    name: 'lookup',
    placeholder: 'find attempt…',
    'aria-label': 'Find attempt',
    size: 14,
  });
  const form = h(
    'form',
    { class: 'lookup', role: 'search' },
    kind,
    value,
    h('button', { type: 'submit' }, 'Find'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = value.value.trim();
    if (text) go(lookupView(kind.value as LookupKind, text));
  });
  return form;
}

/** The travel app's flows, offered in the flow filter (any other snake_case flow can be typed). */
const FLOW_SUGGESTIONS = ['classic', 'wizard', 'surprise'];

const IDS = [
  'kpis',
  'cost',
  'phases',
  'queue',
  'funnel',
  'timeseries',
  'failures',
  'models',
  'versions',
  'alerts',
];

/** The attempts behind a failures row: failed with that code (and kind). */
function failureAttempts(row: FailuresJson['rows'][number]): void {
  const filter: Record<string, string> = { status: 'failed' };
  if (row.errorCode) filter.error_code = row.errorCode;
  if (row.failureKind) filter.failure_kind = row.failureKind;
  go({ kind: 'attempts', title: `Failed attempts: ${row.errorCode || 'no code'}`, filter, lookup: false });
}

/** The attempts behind a models row. */
function modelAttempts(row: ModelsJson['rows'][number]): void {
  const filter: Record<string, string> = {};
  if (row.provider) filter.provider = row.provider;
  if (row.model) filter.model = row.model;
  go({ kind: 'attempts', title: `Attempts: ${row.provider}/${row.model}`, filter, lookup: false });
}

/** Shows the attempts view (list, paged) or one attempt; errors go to {@link showError}. */
async function renderAttempts(mine: number): Promise<void> {
  const current = view;
  if (current.kind === 'attempt') {
    const detail = await getJson<AttemptDetailJson>(
      `/v1/attempts/${encodeURIComponent(current.requestId)}`,
      new URLSearchParams(),
    );
    if (mine !== generation) return;
    root.replaceChildren(toolbar(), h('main', { class: 'grid grid-attempt' }, ...attemptPanels(detail)));
    document.body.dataset.state = 'ready';
    return;
  }
  if (current.kind !== 'attempts') return;
  const rows: AttemptsPageJson['attempts'] = [];
  const load = async (cursor?: string) => {
    const page = await getJson<AttemptsPageJson>(
      '/v1/attempts',
      attemptsQuery(current, queryOf(state), cursor),
    );
    if (mine !== generation) return;
    rows.push(...page.attempts);
    const next = page.next_cursor;
    const more = next ? () => void load(next).catch(showError(mine)) : undefined;
    const list = attemptsPanel(current.title, rows, (id) => go({ kind: 'attempt', requestId: id }), more);
    root.replaceChildren(toolbar(), h('main', { class: 'grid grid-attempts' }, list));
    document.body.dataset.state = 'ready';
  };
  await load();
}

/** Handles a failed load: a refused key asks again, anything else is shown in a panel. */
function showError(mine: number) {
  return (error: unknown) => {
    if (mine !== generation) return;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      adminKey.clear();
      return keyForm(error.status === 401 ? 'That key was not accepted.' : 'That key is not an admin key.');
    }
    const message =
      error instanceof ApiError && error.status === 404 && view.kind === 'attempt'
        ? 'No stored attempt has this request id (never written, deleted, or past retention).'
        : (error as Error).message;
    root.replaceChildren(
      toolbar(),
      h(
        'main',
        { class: 'grid' },
        panel('error', 'Could not load', h('p', { class: 'error', role: 'alert' }, message)),
      ),
    );
    document.body.dataset.state = 'error';
  };
}

async function render(): Promise<void> {
  if (!adminKey.get()) return keyForm();
  const mine = ++generation;
  if (view.kind !== 'dashboard') {
    document.body.dataset.state = 'loading';
    return renderAttempts(mine).catch(showError(mine));
  }
  document.body.dataset.state = 'loading';
  const grid = h(
    'main',
    { class: 'grid' },
    ...IDS.map((id) =>
      h(
        'section',
        { class: `panel panel-${id}`, 'data-panel': id, 'data-state': 'loading' },
        h('p', { class: 'empty' }, 'Loading…'),
      ),
    ),
  );
  root.replaceChildren(toolbar(), grid);
  const q = queryOf(state);
  try {
    const generationQuery = new URLSearchParams(q);
    generationQuery.delete('from');
    generationQuery.delete('to');
    const [summary, retries, series, failures, models, versions, funnel, alerts, cost, phases, queue, stuck] =
      await Promise.all([
        getJson<SummaryJson>('/v1/metrics/summary', q),
        getJson<RetriesJson>('/v1/metrics/retries', q),
        getJson<TimeseriesJson>('/v1/metrics/timeseries', q),
        getJson<FailuresJson>('/v1/metrics/failures', q),
        getJson<ModelsJson>('/v1/metrics/models', q),
        getJson<VersionsJson>('/v1/metrics/versions', q),
        getJson<FunnelJson>('/v1/metrics/funnel', q),
        getJson<AlertsJson>('/v1/alerts', new URLSearchParams({ limit: '50' })).catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return 'unavailable' as const;
          throw error;
        }),
        getJson<CostJson>('/v1/metrics/cost', q),
        getJson<PhasesJson>('/v1/metrics/phases', q),
        getJson<QueueJson>('/v1/metrics/queue', q),
        getJson<StuckJson>('/v1/metrics/stuck', generationQuery),
      ]);
    if (mine !== generation) return;
    for (const r of models.rows) {
      if (r.provider) seen.provider.add(r.provider);
      if (r.model) seen.model.add(r.model);
    }
    for (const r of versions.rows) seen.version.add(r.promptContractVersion);
    const panels = [
      kpisPanel(summary, retries),
      costPanel(cost, stuck),
      phasesPanel(phases),
      queuePanel(queue),
      funnelPanel(funnel),
      timeseriesPanel(series),
      failuresPanel(failures, failureAttempts),
      modelsPanel(models, modelAttempts),
      versionsPanel(versions),
      alertsPanel(alerts),
    ];
    root.replaceChildren(toolbar(), h('main', { class: 'grid' }, ...panels));
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      adminKey.clear();
      return keyForm(error.status === 401 ? 'That key was not accepted.' : 'That key is not an admin key.');
    }
    grid.replaceChildren(
      panel(
        'error',
        'Could not load the metrics',
        h('p', { class: 'error', role: 'alert' }, (error as Error).message),
      ),
    );
    document.body.dataset.state = 'error';
  }
}

void render();
