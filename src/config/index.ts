export { ConfigError, loadConfig, type ConfigSources } from './load.js';
export { SETTINGS, type Config, type SettingName } from './settings.js';
