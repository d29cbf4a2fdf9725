/** Demo data: realistic trip-creation traffic written through the public tracker API. */
export { COSTLY_VERSION, type DemoOptions, type DemoResult, loadDemo } from './load-demo.js';
export { loadDemoIfEmpty } from './load-demo-if-empty.js';
export { MODEL_PROFILES, type ModelProfile } from './profiles.js';
