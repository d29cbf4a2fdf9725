import { type PriceEntry, priceEntrySchema } from '../../config/index.js';
import {
  listPrices,
  readPriceFile,
  recomputeCosts,
  type StoredPrice,
  writePrices,
} from '../../prices/index.js';
import { type Command, type CommandContext, UsageError } from '../command.js';
import { DATABASE_SETTINGS, parseNow, withDatabase } from './shared.js';
import { textTable } from './text-table.js';

const SUBCOMMANDS = ['list', 'set', 'import', 'recompute'] as const;

function table(prices: StoredPrice[]): string[] {
  const header = ['provider', 'model', 'from', 'input', 'output', 'cached_input', 'reasoning', 'version'];
  const rows = prices.map((p) => [
    p.provider,
    p.model,
    p.validFrom,
    p.input,
    p.output,
    p.cachedInput ?? '-',
    p.reasoning ?? '-',
    p.version,
  ]);
  return textTable(header, rows);
}

/** A price flag as a number (USD per million tokens), or undefined when absent. */
function price(flags: CommandContext['flags'], name: string): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} must be a price in USD per million tokens, 0 or more`);
  return n;
}

function setEntry(positionals: string[], flags: CommandContext['flags']): PriceEntry {
  const [provider, model] = positionals;
  if (provider === undefined || model === undefined || positionals.length > 2)
    throw new UsageError('set needs <provider> <model>');
  const parsed = priceEntrySchema.safeParse({
    provider,
    model,
    validFrom: typeof flags.from === 'string' ? flags.from : new Date().toISOString().slice(0, 10),
    input: price(flags, 'input'),
    output: price(flags, 'output'),
    cachedInput: price(flags, 'cached-input'),
    reasoning: price(flags, 'reasoning'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = { input: '--input', output: '--output', validFrom: '--from' }[String(issue.path[0])];
    throw new UsageError(`${field ?? String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * `tripmeter prices list | set | import | recompute`: the model price table (USD per million
 * tokens) that costs every provider call at write time; see docs/generation-anatomy.md.
 */
export const pricesCommand: Command = {
  name: 'prices',
  summary: 'list, set or import model prices (USD per million tokens); recompute stored costs after a change',
  usage:
    'tripmeter prices list | prices set <provider> <model> --input X --output Y [--cached-input Z] [--reasoning W] [--from YYYY-MM-DD] | prices import FILE.json | prices recompute --from YYYY-MM-DD',
  flags: {
    input: { type: 'string', help: 'set: USD per million input tokens' },
    output: { type: 'string', help: 'set: USD per million output tokens' },
    'cached-input': {
      type: 'string',
      help: 'set: USD per million cached input tokens (default: the input price)',
    },
    reasoning: { type: 'string', help: 'set: USD per million reasoning tokens (default: billed as output)' },
    from: {
      type: 'string',
      help: 'set: the first day the price applies (default today); recompute: from this day',
    },
    now: { type: 'string', help: 'recompute: the clock (default: now)' },
  },
  settings: DATABASE_SETTINGS,
  async run({ config, flags, positionals, out }) {
    const [sub, ...rest] = positionals;
    if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]))
      throw new UsageError(`prices needs one of: ${SUBCOMMANDS.join(', ')}`);
    // Checked before the database opens: a bad command line changes nothing.
    const entry = sub === 'set' ? setEntry(rest, flags) : undefined;
    let entries: PriceEntry[] | undefined;
    if (sub === 'import') {
      if (rest.length !== 1) throw new UsageError('import needs one FILE.json');
      try {
        entries = readPriceFile(rest[0]!);
      } catch (error) {
        throw new UsageError(`cannot import: ${(error as Error).message}`);
      }
    }
    let from: Date | undefined;
    if (sub === 'recompute') {
      const day = typeof flags.from === 'string' ? Date.parse(`${flags.from}T00:00:00Z`) : Number.NaN;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(flags.from)) || !Number.isFinite(day))
        throw new UsageError('recompute needs --from YYYY-MM-DD');
      from = new Date(day);
    }
    return withDatabase(config, async (database) => {
      if (sub === 'list') {
        for (const line of table(await listPrices(database))) out(line);
      } else if (entry !== undefined) {
        await writePrices(database, [entry], true);
        out(
          `set ${entry.provider}/${entry.model} from ${entry.validFrom}: input ${entry.input}, output ${entry.output} USD per million tokens; run \`tripmeter prices recompute --from ${entry.validFrom}\` to reprice stored calls`,
        );
      } else if (entries !== undefined) {
        const written = await writePrices(database, entries, true);
        out(`imported ${written} price rows from ${rest[0]}`);
      } else if (from !== undefined) {
        const result = await recomputeCosts(database, { from, now: parseNow(flags.now) });
        out(
          `repriced ${result.calls} calls and ${result.attempts} attempts since ${from.toISOString().slice(0, 10)}; rollups: ${result.rollups.hoursRecomputed} hours recomputed, ${result.rollups.hoursSkippedFinal} final hours kept`,
        );
      }
      return 0;
    });
  },
};
