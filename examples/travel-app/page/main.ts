/**
 * The create-trip page: the plan's events and the app's own, the anonymous session id on every
 * create request (`tm.fetch`), and login linkage (`tm.identify` with the session's access token).
 */
import { createTripmeterClient } from 'tripmeter/client';
import type { AppCatalog } from './catalog.js';
import { type TripForm, tripBody } from './trip-body.js';

/** Injected by the app: `serve`'s address, the site key and the mirrored prefixes. */
const config = JSON.parse(document.getElementById('config')!.textContent!) as {
  endpoint: string;
  siteKey: string;
  prefixes: string[];
};
const tm = createTripmeterClient<AppCatalog>({
  mirror: { endpoint: config.endpoint, siteKey: config.siteKey, prefixes: config.prefixes },
});

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const value = (id: string) => $<HTMLInputElement>(id).value;
const checked = (id: string) => $<HTMLInputElement>(id).checked;

// --- Supabase auth, faked: a session of an anonymous guest or of the demo user ---------------
type Session = { access_token: string; user: { id: string; is_anonymous: boolean } };
let session: Session | undefined;

/** What `supabase.auth.onAuthStateChange` does in the real app: identify with each new session. */
async function onSession(next: Session): Promise<void> {
  session = next;
  const outcome = await tm.identify(next.access_token); // 'anonymous' for a guest, 'linked' at login
  const who = next.user.is_anonymous ? 'Guest' : `Signed in as ${next.user.id}`;
  const element = Object.assign($('session'), { textContent: `${who} (${outcome})` });
  Object.assign(element.dataset, { link: outcome ?? 'failed', userId: next.user.id });
}
const signIn = async (kind: 'anonymous' | 'sign-in') =>
  onSession(await (await fetch(`/auth/v1/${kind}`, { method: 'POST' })).json());

$('sign-in').addEventListener('click', () => {
  tm.track('create_trip__cta--redirect_login', { flow: 'classic' });
  void signIn('sign-in');
});

// --- the form's events ------------------------------------------------------------------------
const form = (flow: TripForm['flow']): TripForm => {
  const [provider, model] = value('model').split('/') as [string, string];
  const destinations = value('destinations')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  const dateMode = value('date-mode') as TripForm['dateMode'];
  return {
    flow,
    destinations,
    startDate: value('start-date'),
    endDate: value('end-date'),
    dateMode,
    roundTrip: checked('round-trip'),
    routeLock: checked('route-lock'),
    budget: value('budget'),
    pace: value('pace'),
    notes: value('notes'),
    provider,
    model,
  };
};
$('round-trip').addEventListener('change', () =>
  tm.track('create_trip__toggle--roundtrip', { enabled: checked('round-trip') }),
);
$('route-lock').addEventListener('change', () =>
  tm.track('create_trip__toggle--route_lock', { enabled: checked('route-lock') }),
);
$<HTMLDetailsElement>('more-options').addEventListener('toggle', (event) =>
  tm.track('create_trip__section--expand', {
    section_id: 'more_options',
    expanded: (event.target as HTMLDetailsElement).open,
  }),
);
$('model').addEventListener('change', () => {
  const { provider, model } = form('classic');
  tm.track('create_trip__model--select', { provider, model });
});
for (const button of document.querySelectorAll<HTMLButtonElement>('.suggestion'))
  button.addEventListener('click', () => {
    tm.track('create_trip__destination_recommendation--select', { destination: button.value });
    $<HTMLInputElement>('destinations').value += `, ${button.value}`;
  });
// Vite fires this when a lazy chunk fails to load; the real app reloads the page after it.
window.addEventListener('vite:preloadError', () =>
  tm.track('app__chunk_recovery--reload', { module_key: 'create_trip', reason: 'preload_error' }),
);

// --- create a trip: enqueue, then wait for the worker ---------------------------------------
async function generate(flow: TripForm['flow']): Promise<void> {
  const trip = form(flow);
  if (!navigator.onLine) return tm.track('create_trip__cta--blocked_offline', { flow });
  if (flow === 'classic') {
    const { destinations, dateMode, routeLock, roundTrip, provider, model } = trip;
    tm.track('create_trip__cta--generate', {
      destination_count: destinations.length,
      date_mode: dateMode,
      route_lock: routeLock,
      round_trip: roundTrip,
      provider,
      model,
    });
  } else {
    tm.track('create_trip_wizard__cta--generate', {
      branch: 'need_inspiration',
      destination_count: trip.destinations.length,
      date_mode: trip.dateMode,
      traveler_type: 'couple',
    });
  }
  if (!session) {
    tm.track('create_trip__cta--queue_pending_auth', { flow }); // a guest: anonymous sign-in first
    await signIn('anonymous');
  }
  const body = tripBody(trip);
  const item = $('attempts').appendChild(document.createElement('li'));
  Object.assign(item.dataset, { requestId: body.payload.requestId, status: 'queued' });
  item.textContent = `${flow} trip via ${trip.model}: queued`;
  const answer = await tm.fetch('/api/enqueue-trip', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session!.access_token}`,
      'x-fake-provider': value('scenario'),
    },
  });
  const outcome = answer.ok
    ? await waitForJob(body.payload.requestId)
    : { status: 'failed', errorCode: (await answer.json()).code };
  const { provider, model } = trip;
  if (outcome.status === 'success') {
    tm.track('create_trip__ai_request--success', { flow, provider, model });
    tm.track('trip__view--open', { flow });
  } else
    tm.track('create_trip__ai_request--failed', {
      flow,
      provider,
      model,
      error_code: outcome.errorCode ?? 'UNKNOWN',
    });
  Object.assign(item.dataset, outcome);
  item.textContent = `${flow} trip via ${model}: ${outcome.status} ${outcome.errorCode ?? ''}`;
}

/** Polls the job's status as the real page polls its trip row. */
async function waitForJob(requestId: string): Promise<{ status: string; errorCode?: string }> {
  for (;;) {
    const answer = await fetch(`/api/trip-status?requestId=${requestId}`);
    const job = answer.ok ? await answer.json() : { status: 'queued' };
    if (job.status === 'success' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

$('trip').addEventListener('submit', (event) => {
  event.preventDefault();
  void generate('classic');
});
$('wizard').addEventListener('click', () => void generate('wizard'));
