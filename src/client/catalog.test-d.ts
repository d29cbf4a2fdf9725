/**
 * Compile-time tests of the event catalog. Checked by `catalog-types.test.ts` (tsc --noEmit):
 * every `@ts-expect-error` must hit an error, or tsc fails on the unused directive.
 */
import {
  type ClientWindow,
  createTripmeterClient,
  type DefaultCatalog,
  type EventName,
  type IsEventName,
} from './index.js';

const yes: true[] = [];
const no: false[] = [];
yes.push(true as IsEventName<'create_trip__cta--generate'>);
yes.push(true as IsEventName<'app__chunk_recovery--reload'>);
yes.push(true as IsEventName<'create_trip__toggle--route_lock'>);
yes.push(true as IsEventName<'page2__el_3'>);
no.push(false as IsEventName<'CreateTrip'>);
no.push(false as IsEventName<'create-trip__cta'>);
no.push(false as IsEventName<'create_trip__'>);
no.push(false as IsEventName<'create_trip__cta--'>);
no.push(false as IsEventName<'__cta'>);
no.push(false as IsEventName<'create_trip'>);
no.push(false as IsEventName<'create__trip__cta'>);
no.push(false as IsEventName<'create_trip_cta'>);
no.push(false as IsEventName<'create_trip__cta--a--b'>);
no.push(false as IsEventName<'create_trip__Cta'>);
no.push(false as IsEventName<'create_trip___cta'>);
no.push(false as IsEventName<'create_trip_ __cta'>);
no.push(false as IsEventName<'1trip__cta'>);
no.push(false as IsEventName<string>);

const branded: EventName<'checkout__cta--pay'> = 'checkout__cta--pay';
// @ts-expect-error malformed names brand to never
const badBrand: EventName<'Checkout__cta'> = 'Checkout__cta';

const tm = createTripmeterClient();

// Valid calls.
tm.track('create_trip__cta--generate', {
  destination_count: 2,
  date_mode: 'flex',
  route_lock: true,
  round_trip: false,
});
tm.track('create_trip__cta--generate', {
  destination_count: 1,
  date_mode: 'exact',
  route_lock: false,
  round_trip: true,
  provider: 'openai',
  model: 'gpt-5',
});
tm.track('create_trip__toggle--roundtrip', { enabled: true });
tm.track('create_trip__toggle--route_lock', { enabled: false });
tm.track('create_trip__section--expand', { section_id: 'budget', expanded: true });
tm.track('app__chunk_recovery--reload', { module_key: 'trip-view', reason: 'chunk_load_error' });

// Malformed or unknown names.
// @ts-expect-error PascalCase is not page__element
tm.track('CreateTrip', { enabled: true });
// @ts-expect-error kebab-case page
tm.track('create-trip__cta', { enabled: true });
// @ts-expect-error empty element
tm.track('create_trip__', { enabled: true });
// @ts-expect-error empty detail
tm.track('create_trip__cta--', { enabled: true });
// @ts-expect-error well-formed but not in the catalog
tm.track('create_trip__cta--cancel', { enabled: true });

// Wrong payloads.
// @ts-expect-error enabled must be boolean
tm.track('create_trip__toggle--roundtrip', { enabled: 'yes' });
// @ts-expect-error missing required key
tm.track('create_trip__toggle--route_lock', {});
tm.track('create_trip__cta--generate', {
  destination_count: 2,
  // @ts-expect-error date_mode outside its union
  date_mode: 'any',
  route_lock: true,
  round_trip: false,
});
tm.track('create_trip__cta--generate', {
  // @ts-expect-error destination_count must be a number
  destination_count: '2',
  date_mode: 'flex',
  route_lock: true,
  round_trip: false,
});
// @ts-expect-error missing round_trip
tm.track('create_trip__cta--generate', { destination_count: 2, date_mode: 'flex', route_lock: true });
// @ts-expect-error missing expanded
tm.track('create_trip__section--expand', { section_id: 'budget' });
// @ts-expect-error unknown key (excess property)
tm.track('app__chunk_recovery--reload', { module_key: 'a', reason: 'b', stack: 'c' });
// @ts-expect-error payload is required
tm.track('create_trip__toggle--roundtrip');

// An app extends the catalog with its own events.
type AppCatalog = DefaultCatalog & { 'checkout__cta--pay': { amount_eur: number; coupon?: string } };
const app = createTripmeterClient<AppCatalog>({ consent: true });
app.track('checkout__cta--pay', { amount_eur: 12 });
app.track('create_trip__toggle--roundtrip', { enabled: false });
// @ts-expect-error amount_eur must be a number
app.track('checkout__cta--pay', { amount_eur: '12' });

// A malformed name in an app catalog fails at the type argument.
// @ts-expect-error kebab-case page
createTripmeterClient<{ 'check-out__cta': { a: number } }>();
// @ts-expect-error PascalCase name
createTripmeterClient<{ CreateTrip: { a: number } }>();
// @ts-expect-error trailing detail separator
createTripmeterClient<{ 'checkout__cta--': { a: number } }>();
// @ts-expect-error payload values must be string/number/boolean/null
createTripmeterClient<{ checkout__cta: { nested: { a: number } } }>();
createTripmeterClient<{ checkout__cta: { a: number | null; b?: string } }>();

// The real `window` satisfies ClientWindow.
declare const realWindow: Window & typeof globalThis;
const asClientWindow: ClientWindow = realWindow;
createTripmeterClient({ window: realWindow });

export { app, asClientWindow, badBrand, branded, no, tm, yes };
