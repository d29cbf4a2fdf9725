/**
 * tripmeter (server side): the tracker for Node apps, the storage layer and the configuration.
 * Browser code imports `tripmeter/client`; edge runtimes import `tripmeter/http`.
 */
export { type Config, loadConfig } from './config/index.js';
export * from './domain/index.js';
export { ANON_SESSION_HEADER, readAnonSessionId } from './session-header/index.js';
export { type Database, migrate, openDatabase } from './storage/index.js';
export { createTripmeter, PostgresSink, type TripmeterOptions } from './store/index.js';
export {
  type AttemptHandle,
  createTracker,
  type FailInput,
  InvalidOptionError,
  type ProviderCallInput,
  type ResumeOptions,
  type Sink,
  type StartAttemptInput,
  type SucceedInput,
  type Tracker,
  type TrackerStats,
  TransientSinkError,
} from './tracker/index.js';
