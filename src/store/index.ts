/**
 * The PostgreSQL store: the sink that writes tracker and ingest batches into PostgreSQL or PGlite
 * (locks, probes, COPY or `unnest` inserts, merges into known attempts), and `createTripmeter`,
 * the tracker core over it for Node apps.
 */

export { InvalidOptionError } from '../tracker/index.js';
export { createTripmeter, STORE_WRITER_DEFAULTS, type TripmeterOptions } from './create-tripmeter.js';
export { PostgresSink } from './postgres-sink.js';
export { lockRequestIds } from './write-locks.js';
