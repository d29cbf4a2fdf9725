export * from './events.js';
export * from './failure-kind.js';
export * from './ids.js';
