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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path}: not valid JSON${where(text, (error as Error).message)}`);
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
 * Where `JSON.parse` stopped, as line and column. Its own message is not repeated: V8 quotes the
 * text around the error (`..."tSecret": supersecre"...`), which in a config file can be a secret.
 */
function where(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

/** How a refused value is shown: a sensitive one (password, key, secret URL) only by its length. */
function shown(raw: unknown, sensitive: boolean): string {
  if (!sensitive) return JSON.stringify(raw);
  return typeof raw === 'string' ? `(hidden, ${[...raw].length} characters)` : '(hidden)';
}

/**
 * Reads the configuration once: flags, then environment, then config file, then defaults.
 * Returns a frozen object; throws {@link ConfigError} naming the setting on a bad value (and
 * showing the value, unless the setting is `sensitive`).
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
      const value = shown(raw, 'sensitive' in setting && setting.sensitive);
      throw new ConfigError(`invalid ${name} (${origin}): ${value}; allowed: ${allowed}`);
    }
    result[name] = parsed.data;
  }
  return Object.freeze(result) as Config;
}
