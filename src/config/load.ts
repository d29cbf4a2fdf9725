import { existsSync, readFileSync } from 'node:fs';
import { type Config, SETTINGS, type SettingName } from './settings.js';

/** A bad configuration value: names the setting, where it came from, and what is allowed. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where configuration comes from; everything is optional. */
export interface ConfigSources {
  /** Parsed command-line flags, by flag name (`data-dir`) or setting name (`dataDir`). */
  flags?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file; defaults to `TRIPMETER_CONFIG`, then `./tripmeter.config.json` if present. */
  configFile?: string | undefined;
}

function readConfigFile(path: string | undefined, explicit: boolean): Record<string, unknown> {
  if (!path || (!explicit && !existsSync(path))) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object`);
  }
  const known = new Set(Object.keys(SETTINGS));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key))
      throw new ConfigError(`config file ${path}: unknown setting "${key}"; known: ${[...known].join(', ')}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads the configuration once: flags, then environment, then config file, then defaults.
 * Returns a frozen object; throws {@link ConfigError} naming the setting on a bad value.
 *
 * @example
 * const config = loadConfig({ flags: { port: '9000' }, env: process.env });
 */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? {};
  const flags = sources.flags ?? {};
  const explicitFile = sources.configFile ?? env.TRIPMETER_CONFIG;
  const file = readConfigFile(explicitFile ?? './tripmeter.config.json', explicitFile !== undefined);
  const result: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const candidates: [string, unknown][] = [
      [`--${setting.flag}`, flags[setting.flag] ?? flags[name]],
      [setting.env, env[setting.env] === '' ? undefined : env[setting.env]],
      [`config file "${name}"`, file[name]],
    ];
    const [origin, raw] = candidates.find(([, value]) => value !== undefined) ?? ['default', undefined];
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      const allowed = parsed.error.issues.map((issue) => issue.message).join('; ');
      throw new ConfigError(`invalid ${name} (${origin}): ${JSON.stringify(raw)}; allowed: ${allowed}`);
    }
    result[name] = parsed.data;
  }
  return Object.freeze(result) as Config;
}
