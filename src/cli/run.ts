import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, SETTINGS, type SettingName } from '../config/index.js';
import { DataDirLockedError } from '../storage/index.js';
import { type Command, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { heldByService } from './running-service.js';

/** Where the CLI writes; real streams in `main.ts`, buffers in tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'tripmeter: privacy-first telemetry for AI trip creation',
    '',
    'Usage: tripmeter <command> [options]      (tripmeter <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration: flags, then environment variables, then the JSON file named by --config or',
    'TRIPMETER_CONFIG (default ./tripmeter.config.json when present), then defaults.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary, '', 'Options:'];
  for (const [name, spec] of Object.entries(command.flags)) {
    lines.push(
      `  --${name}${spec.type === 'string' ? ' <value>' : ''}${spec.multiple ? ' (repeatable)' : ''}  ${spec.help}`,
    );
  }
  for (const name of command.settings) {
    const setting = SETTINGS[name as SettingName];
    lines.push(`  --${setting.flag} <value>  ${setting.help} (env ${setting.env})`);
  }
  lines.push('  --config <file>  JSON config file', '  -h, --help  this help');
  return lines.join('\n');
}

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(topHelp());
    return verb === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === verb);
  if (!command) {
    io.err(`tripmeter: unknown command "${verb}"\n\n${topHelp()}`);
    return 2;
  }
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    config: { type: 'string' },
  };
  for (const [name, spec] of Object.entries(command.flags))
    options[name] = { type: spec.type, multiple: spec.multiple ?? false };
  for (const name of command.settings) options[SETTINGS[name as SettingName].flag] = { type: 'string' };
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    const config = loadConfig({
      flags: values,
      env: io.env,
      configFile: values.config as string | undefined,
    });
    return await command.run({ config, flags: values, positionals: parsed.positionals, out: io.out });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tripmeter ${command.name}: ${error.message}\n\n${commandHelp(command)}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`tripmeter ${command.name}: ${error.message}`);
      return 2;
    }
    if (error instanceof DataDirLockedError) {
      io.err(`tripmeter ${command.name}: ${error.message}`);
      const holder = heldByService(error);
      if (holder) io.err(holder);
      return 1;
    }
    throw error;
  }
}
