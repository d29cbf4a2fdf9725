import type { Json } from '../storage/index.js';

/** An incident as stored in `alert_incidents` and shown by the API and the CLI. */
export interface Incident {
  id: string;
  rule: string;
  scope: string;
  state: 'firing' | 'resolved';
  openedAt: Date;
  resolvedAt: Date | null;
  /** The worst value of the rule's measure while open (a rate 0–1, a p95 in ms, a count). */
  peakRate: number | null;
  baselineRate: number | null;
  threshold: number | null;
  counts: Json;
  lastNotifiedAt: Date | null;
}
