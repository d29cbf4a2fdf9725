/** Demo data: realistic trip-creation traffic written through the public tracker API. */
export { type DemoOptions, type DemoResult, dailyCurve, loadDemo } from './load-demo.js';
export { FIRST_RUN_DEMO_DAYS, loadDemoIfEmpty } from './load-demo-if-empty.js';
export { MODEL_PROFILES, type ModelProfile } from './profiles.js';
