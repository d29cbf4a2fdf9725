/**
 * The JSON answers the dashboard reads: the metrics types themselves (type-only imports, so
 * nothing of the server reaches the bundle; their fields are strings, numbers and booleans).
 */
import type { getModels, getVersions } from '../metrics/index.js';

export type {
  Failures as FailuresJson,
  Funnel as FunnelJson,
  Retries as RetriesJson,
  Summary as SummaryJson,
  Timeseries as TimeseriesJson,
} from '../metrics/index.js';
export type ModelsJson = Awaited<ReturnType<typeof getModels>>;
export type VersionsJson = Awaited<ReturnType<typeof getVersions>>;

/** `GET /v1/alerts` (its times are ISO strings in JSON). */
export interface AlertsJson {
  incidents: {
    id: string;
    rule: string;
    scope: string;
    state: 'firing' | 'resolved';
    openedAt: string;
    resolvedAt: string | null;
    peakRate: number | null;
    threshold: number | null;
  }[];
}

export type {
  AttemptDetail as AttemptDetailJson,
  AttemptSummary as AttemptJson,
  AttemptsPage as AttemptsPageJson,
} from '../attempts/index.js';

export type {
  Cost as CostJson,
  Phases as PhasesJson,
  QueueFunnel as QueueJson,
  Stuck as StuckJson,
} from '../metrics/index.js';
