/** `/metrics` in Prometheus text format: a latency histogram, a timed sink and the renderer. */

export { type MetricsSources, renderPrometheus } from './exposition.js';
export { Histogram } from './histogram.js';
export { TimedSink } from './timed-sink.js';
