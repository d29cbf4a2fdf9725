import type { Config } from '../config/index.js';

/** A CLI flag of one command (settings flags are added to every command automatically). */
export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  help: string;
}

/** What a command's `run` receives. */
export interface CommandContext {
  config: Config;
  /** The command's own flags, parsed. */
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Where the command writes its output (stdout in real use, a buffer in tests). */
  out: (line: string) => void;
}

/**
 * One CLI verb. The CLI only parses arguments and calls the library: `run` stays short and
 * returns the process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
  /** Which settings flags this command takes (e.g. `port` only for `serve`). */
  settings: readonly string[];
  run(ctx: CommandContext): Promise<number>;
}

/** Thrown for a bad command line; printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}
