import {
  type ApiKeyRecord,
  type CreateApiKeyOptions,
  createApiKey,
  isScope,
  KeyError,
  listApiKeys,
  revokeApiKey,
  SCOPES,
} from '../../auth/index.js';
import type { Database } from '../../storage/index.js';
import { type Command, type CommandContext, UsageError } from '../command.js';
import { DATABASE_SETTINGS, withDatabase } from './shared.js';
import { textTable } from './text-table.js';

const SUBCOMMANDS = ['create', 'list', 'revoke'] as const;

function table(keys: ApiKeyRecord[]): string[] {
  const header = ['id', 'scope', 'prefix', 'name', 'origins', 'created', 'revoked'];
  const rows = keys.map((k) => [
    k.id,
    k.scope,
    k.prefix,
    k.name ?? '-',
    k.origins.length > 0 ? k.origins.join(',') : '-',
    k.createdAt.toISOString(),
    k.revokedAt?.toISOString() ?? '-',
  ]);
  return textTable(header, rows);
}

function createOptions(flags: CommandContext['flags']): CreateApiKeyOptions {
  const scope = flags.scope;
  if (typeof scope !== 'string') throw new UsageError(`create needs --scope ${SCOPES.join('|')}`);
  if (!isScope(scope))
    throw new UsageError(`unknown scope ${JSON.stringify(scope)}; --scope is one of ${SCOPES.join(', ')}`);
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  return { scope, name, origins: Array.isArray(flags.origin) ? flags.origin : [] };
}

async function create(database: Database, options: CreateApiKeyOptions, out: CommandContext['out']) {
  const created = await createApiKey(database, options);
  out(
    `created ${options.scope} key ${created.id} (${created.prefix}…); store it now, it is not shown again: ${created.key}`,
  );
}

async function revoke(database: Database, target: string, out: CommandContext['out']) {
  const record = await revokeApiKey(database, target);
  out(
    `${record.alreadyRevoked ? 'already revoked' : 'revoked'} ${record.scope} key ${record.id} (${record.prefix}…) ` +
      `at ${record.revokedAt?.toISOString()}`,
  );
}

/** `tripmeter keys create|list|revoke`: manage scoped API keys (only their hashes are stored). */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys (ingest, site, admin); a key is shown once',
  usage:
    'tripmeter keys create --scope ingest|site|admin [--name N] [--origin URL]... | keys list | keys revoke <id or prefix>',
  flags: {
    scope: {
      type: 'string',
      help: 'create: ingest (server to server), site (browser, needs --origin) or admin',
    },
    name: { type: 'string', help: 'create: a label for people' },
    origin: {
      type: 'string',
      multiple: true,
      help: 'create, site keys: an allowed browser origin, https://host[:port] (or http://localhost[:port])',
    },
  },
  settings: DATABASE_SETTINGS,
  async run(ctx) {
    const [sub, ...rest] = ctx.positionals;
    if (!SUBCOMMANDS.includes(sub as (typeof SUBCOMMANDS)[number]))
      throw new UsageError(
        sub === undefined ? `expected ${SUBCOMMANDS.join('|')}` : `unknown subcommand "${sub}"`,
      );
    if (sub === 'revoke' ? rest.length !== 1 : rest.length > 0)
      throw new UsageError(
        sub === 'revoke' ? 'revoke takes one id or prefix' : `unexpected argument "${rest[0]}"`,
      );
    if (sub !== 'create' && (ctx.flags.scope ?? ctx.flags.name ?? ctx.flags.origin) !== undefined)
      throw new UsageError('--scope, --name and --origin are only for create');
    const options = sub === 'create' ? createOptions(ctx.flags) : undefined;
    return withDatabase(ctx.config, async (database) => {
      if (options) await create(database, options, ctx.out);
      else if (sub === 'revoke') await revoke(database, rest[0]!, ctx.out);
      else {
        const keys = await listApiKeys(database);
        if (keys.length === 0) ctx.out('no API keys yet: tripmeter keys create --scope ingest');
        else for (const line of table(keys)) ctx.out(line);
      }
      return 0;
    }).catch((error: unknown) => {
      // The command context has no error stream: a refused key operation leaves as a usage error.
      if (error instanceof KeyError) throw new UsageError(error.message);
      throw error;
    });
  },
};
