export { ConfigError, type ConfigSources, loadConfig } from './load.js';
export { type Config, SETTINGS, type SettingName } from './settings.js';
