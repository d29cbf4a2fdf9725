/** The job scheduler of `serve` and the claims that let several instances share its jobs. */
export { databaseJobClaims, instanceName, type JobClaims } from './job-runs.js';
export { type Job, type JobStats, periodStart, Scheduler } from './scheduler.js';
