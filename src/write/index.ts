export type { FailInput, ResumeOptions, StartAttemptInput, SucceedInput } from './attempt-input.js';
export type { OverflowPolicy, WriterOptions } from './batch-writer.js';
export { createTripmeter, type TripmeterOptions } from './create-tripmeter.js';
export { PostgresSink } from './postgres-sink.js';
export { type Sink, type SinkResult, TransientSinkError } from './sink.js';
export type { CoreLogger, TrackerStats } from './stats.js';
export { type AttemptHandle, createTracker, type Tracker, type TrackerCoreOptions } from './tracker.js';
export { lockRequestIds } from './write-locks.js';
