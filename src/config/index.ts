export {
  type AlertsConfig,
  alertsConfigSchema,
  alertsSettingSchema,
  DEFAULT_ALERTS_CONFIG,
} from './alerts-settings.js';
export { ConfigError, type ConfigSources, loadConfig } from './load.js';
export {
  type PriceEntry,
  priceEntrySchema,
  priceListSchema,
  pricesSettingSchema,
} from './prices-settings.js';
export { type Config, JOB_NAMES, type JobName, SETTINGS, type SettingName } from './settings.js';
