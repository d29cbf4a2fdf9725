/** The JSON answers of `/v1/metrics/…` the dashboard reads (see src/metrics). */
export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SummaryJson {
  attempts: number;
  succeeded: number;
  failed: number;
  pending: number;
  successRate: number | null;
  failureRate: number | null;
  durationMs: Percentiles;
  signedInShare: number | null;
  sessions: {
    anonSessions: number;
    attemptsPerAnonSession: number | null;
    linkedShare: number | null;
    sampled: number;
  };
  exact: boolean;
}

export interface TimeseriesJson {
  bucket: 'hour' | 'day';
  points: { t: string; attempts: number; failed: number; successRate: number | null; p95Ms: number | null }[];
}

export interface FailuresJson {
  failed: number;
  rows: {
    errorCode: string;
    failureKind: string;
    count: number;
    shareOfFailures: number | null;
    rate: number | null;
    previousCount: number;
    trend: 'up' | 'down' | 'flat' | 'new';
  }[];
}

export interface ModelsJson {
  minVolume: number;
  rows: {
    provider: string;
    model: string;
    attempts: number;
    successRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    lowVolume: boolean;
  }[];
}

export interface VersionsJson {
  rows: {
    promptContractVersion: string;
    attempts: number;
    successRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  }[];
}

export interface FunnelJson {
  windowMinutes: number;
  clientEventsAvailable: boolean;
  steps: { name: string; count: number | null; conversion: number | null }[];
  overallConversion: number | null;
  timeToConvertSeconds: { p50: number | null; p95: number | null };
}

export interface RetriesJson {
  sessions: number;
  sessionsWithRetry: number;
  retries: number;
  retriesAfterFailure: number;
  retrySuccessRate: number | null;
  windowMinutes: number;
}

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
