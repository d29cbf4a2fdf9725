/**
 * The JSON answers the dashboard reads: the metrics types themselves (type-only imports, so
 * nothing of the server reaches the bundle; their fields are strings, numbers and booleans).
 */
import type { getModels } from '../metrics/get-models.js';
import type { getVersions } from '../metrics/get-versions.js';

export type { Failures as FailuresJson } from '../metrics/get-failures.js';
export type { Funnel as FunnelJson } from '../metrics/get-funnel.js';
export type { Retries as RetriesJson } from '../metrics/get-retries.js';
export type { Summary as SummaryJson } from '../metrics/get-summary.js';
export type { Timeseries as TimeseriesJson } from '../metrics/get-timeseries.js';
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
