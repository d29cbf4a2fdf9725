import { loadDemo } from '../../demo/index.js';
import { loadPrices } from '../../prices/index.js';
import { migrate } from '../../storage/index.js';
import { type Command, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';

/** A one-line progress bar on stderr (redrawn in place on a terminal, every 10 % otherwise). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  let lastDecile = -1;
  return (done: number, total: number) => {
    const frac = total === 0 ? 1 : done / total;
    const width = 30;
    const bar = `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ${Math.round(frac * 100)}% ${done}/${total} sessions`;
    if (stream.isTTY) stream.write(`\r${bar}${frac >= 1 ? '\n' : ''}`);
    else if (Math.floor(frac * 10) > lastDecile) {
      lastDecile = Math.floor(frac * 10);
      stream.write(`${bar}\n`);
    }
  };
}

/** `tripmeter demo --days N`: realistic demo traffic through the tracker API. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'write N days of realistic demo traffic through the tracker (then rebuild the rollups)',
  usage: 'tripmeter demo --days 14 [--sessions-per-day 300] [--seed 7] [--now ISO]',
  flags: {
    days: { type: 'string', help: 'days of traffic ending now (1–120, default 14)' },
    'sessions-per-day': { type: 'string', help: 'browser sessions on an average day (default 300)' },
    seed: { type: 'string', help: 'PRNG seed: the same seed writes the same data (default 7)' },
    now: { type: 'string', help: 'the end of the demo period (default: now)' },
  },
  settings: [...DATABASE_SETTINGS, 'prices'],
  async run({ config, flags, out }) {
    const int = (name: string, value: unknown, fallback: number, max: number) => {
      const n = value === undefined ? fallback : Number(value);
      if (!Number.isInteger(n) || n < 1 || n > max)
        throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
      return n;
    };
    const days = int('days', flags.days, 14, 120);
    const sessionsPerDay = int('sessions-per-day', flags['sessions-per-day'], 300, 100_000);
    const seed = int('seed', flags.seed, 7, 2 ** 31 - 1);
    const now = parseNow(flags.now);
    return withDatabase(config, async (database) => {
      await migrate(database, now);
      await loadPrices(database, config.prices);
      const result = await loadDemo(database, { days, now, sessionsPerDay, seed, onProgress: progressBar() });
      out(
        `demo: ${result.attempts} attempts in ${result.sessions} sessions over ${days} days, ${result.ctaClicks} CTA clicks, ${result.links} logins linked, ${result.calls} provider calls; incident: ${result.incident.provider}/${result.incident.model} timeouts ${result.incident.from.toISOString()} → ${result.incident.to.toISOString()}; cost incident: ${result.costIncident.version} doubles output tokens since ${result.costIncident.from.toISOString()}`,
      );
      return 0;
    });
  },
};
