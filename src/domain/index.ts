export * from './failure-kind.js';
