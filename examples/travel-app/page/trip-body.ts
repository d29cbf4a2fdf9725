/**
 * The enqueue request body, nested as the real app sends it: the form state sits in
 * `payload.inputSnapshot.payload.options`, and `payload.prompt` is the generated prompt with the
 * traveller's notes in it (tripmeter never stores it).
 */

/** What the page's form holds. */
export interface TripForm {
  flow: 'classic' | 'wizard';
  destinations: string[];
  startDate: string;
  endDate: string;
  dateMode: 'exact' | 'flex';
  roundTrip: boolean;
  routeLock: boolean;
  budget: string;
  pace: string;
  notes: string;
  provider: string;
  model: string;
}

const id = (prefix: string) => `${prefix}_${crypto.randomUUID()}`;

/** The body of `POST /api/enqueue-trip` for `form`, started now. */
export function tripBody(form: TripForm) {
  const startedAt = new Date().toISOString();
  const [tripId, attemptId, requestId] = [id('trip'), id('attempt'), id('req')];
  const target = { provider: form.provider, model: form.model };
  const label = form.destinations.join(' and ');
  const wizard =
    form.flow === 'wizard' ? { wizardBranch: 'need_inspiration', tripVibeTags: ['relaxation'] } : {};
  const options = {
    budget: form.budget,
    pace: form.pace,
    roundTrip: form.roundTrip,
    routeLock: form.routeLock,
    dateInputMode: form.dateMode,
    destinationOrder: form.destinations,
    travelerType: 'couple',
    travelerDetails: { coupleTravelerA: 'female', coupleTravelerB: 'male', coupleOccasion: 'anniversary' },
    tripStyleTags: ['culture', 'food'],
    transportPreferences: ['train'],
    notes: form.notes,
    aiTarget: target,
    ...wizard,
  };
  return {
    tripId,
    attemptId,
    maxRetries: 2,
    priority: 5,
    payload: {
      version: 1,
      flow: form.flow,
      source: `create_trip_${form.flow}`,
      requestId,
      queueRequestId: id('q'),
      tripId,
      attemptId,
      startedAt,
      startDate: form.startDate,
      roundTrip: form.roundTrip,
      prompt: `Plan a trip through ${label} from ${form.startDate} to ${form.endDate} for a couple. Notes from the traveller: ${form.notes}`,
      target,
      inputSnapshot: {
        flow: form.flow,
        destinationLabel: label,
        startDate: form.startDate,
        endDate: form.endDate,
        payload: { destinationPrompt: form.destinations.join(', '), options },
        createdAt: startedAt,
      },
    },
  };
}
