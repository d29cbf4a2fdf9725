/** A provider/model of the demo with its latency and failure profile. */
export interface ModelProfile {
  provider: string;
  model: string;
  /** Share of traffic. */
  weight: number;
  /** Median duration of a successful attempt, ms (log-normal). */
  medianMs: number;
  /** Log-normal spread. */
  sigma: number;
  /** Base failure probability. */
  failureRate: number;
  /** Error codes (from the origin app's fixtures) and their relative weights. */
  errors: [code: string, weight: number][];
  /** Median output tokens of a generated itinerary (log-normal, sigma 0.3). */
  outputTokens: number;
  /** Reasoning ("thinking") tokens as a share of output tokens (0 for a model without). */
  reasoningShare: number;
  /** Median time to first token, ms. */
  ttftMs: number;
  /** Share of calls whose system prompt hits the provider's prompt cache. */
  cacheHitRate: number;
}

/** Providers, models and error codes of the travel app the plan was written for. */
export const MODEL_PROFILES: readonly ModelProfile[] = [
  {
    provider: 'openai',
    model: 'gpt-5.4',
    outputTokens: 7_400,
    reasoningShare: 0.35,
    ttftMs: 2_600,
    cacheHitRate: 0.55,
    weight: 0.4,
    medianMs: 38_000,
    sigma: 0.35,
    failureRate: 0.04,
    errors: [
      ['OPENAI_REQUEST_TIMEOUT', 4],
      ['OPENAI_PARSE_FAILED', 3],
      ['OPENAI_REFUSAL', 1],
      ['OPENAI_RESPONSE_INCOMPLETE', 1],
    ],
  },
  {
    provider: 'gemini',
    model: 'gemini-3-pro-preview',
    outputTokens: 8_100,
    reasoningShare: 0.3,
    ttftMs: 4_200,
    cacheHitRate: 0.3,
    weight: 0.27,
    medianMs: 52_000,
    sigma: 0.45,
    failureRate: 0.06,
    errors: [
      ['GEMINI_REQUEST_TIMEOUT', 3],
      ['GEMINI_PARSE_FAILED', 3],
      ['GEMINI_REQUEST_FAILED', 1],
    ],
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4.5',
    outputTokens: 6_900,
    reasoningShare: 0,
    ttftMs: 1_900,
    cacheHitRate: 0.5,
    weight: 0.2,
    medianMs: 45_000,
    sigma: 0.3,
    failureRate: 0.025,
    errors: [
      ['ANTHROPIC_REQUEST_FAILED', 2],
      ['ANTHROPIC_PARSE_FAILED', 1],
    ],
  },
  {
    provider: 'openrouter',
    model: 'deepseek/deepseek-v3.2',
    outputTokens: 7_800,
    reasoningShare: 0,
    ttftMs: 3_400,
    cacheHitRate: 0.2,
    weight: 0.1,
    medianMs: 70_000,
    sigma: 0.6,
    failureRate: 0.12,
    errors: [
      ['OPENROUTER_REQUEST_TIMEOUT', 3],
      ['OPENROUTER_REQUEST_FAILED', 2],
      ['ASYNC_WORKER_PROVIDER_FAILED', 1],
    ],
  },
  {
    provider: 'openai',
    model: 'gpt-5.4-mini',
    outputTokens: 6_200,
    reasoningShare: 0.2,
    ttftMs: 1_100,
    cacheHitRate: 0.55,
    weight: 0.03,
    medianMs: 21_000,
    sigma: 0.3,
    failureRate: 0.05,
    errors: [
      ['OPENAI_REQUEST_TIMEOUT', 1],
      ['RATE_LIMITED', 1],
    ],
  },
];

/** Errors not tied to a provider (guards, enqueue), drawn for a small share of failures. */
export const GENERIC_ERRORS: [string, number][] = [
  ['RATE_LIMITED', 2],
  ['PROMPT_TOO_LONG', 1],
  ['ASYNC_ENQUEUE_FAILED', 1],
];

/**
 * Trimmed create-trip inputs in the shape of the fixtures (the allowlist keeps what it may), two
 * of the classic flow and one of the wizard, so the flow filter has something to split.
 */
export const DEMO_INPUTS: readonly Record<string, unknown>[] = [
  {
    flow: 'classic',
    destinationPrompt: 'Japan, South Korea',
    options: {
      destinationOrder: ['Japan', 'South Korea'],
      budget: 'Medium',
      pace: 'Balanced',
      roundTrip: true,
      totalDays: 15,
      dateInputMode: 'exact',
      travelerType: 'couple',
      tripStyleTags: ['culture', 'food'],
      notes: 'ramen, onsen',
    },
  },
  {
    flow: 'classic',
    destinationPrompt: 'Portugal',
    options: {
      countries: ['Portugal'],
      budget: 'Low',
      pace: 'Relaxed',
      roundTrip: false,
      dateInputMode: 'flex',
      flexWeeks: 2,
      flexWindow: 'shoulder',
      travelerType: 'solo',
      tripStyleTags: ['beaches', 'remote-work'],
    },
  },
  {
    flow: 'wizard',
    payload: {
      wizardBranch: 'known_destinations_exact_dates',
      options: {
        countries: ['Italy'],
        specificCities: ['Rome', 'Florence'],
        tripVibeTags: ['food', 'culture'],
        idealMonths: [4, 5, 9],
        budget: 'High',
        pace: 'Balanced',
        travelerType: 'family',
        transportPreferences: ['train', 'car'],
        notes: 'no long drives',
      },
    },
  },
];
