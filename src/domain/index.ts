export * from './error-code.js';
export * from './event-fields.js';
export * from './events.js';
export * from './failure-kind.js';
export * from './generation.js';
export * from './ids.js';
export * from './money.js';
export * from './subject-id.js';
