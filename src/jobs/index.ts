export { type Job, type JobStats, Scheduler } from './scheduler.js';
