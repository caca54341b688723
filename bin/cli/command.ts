import type { ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client.js';
import type { Progress } from './output.js';

/** What every command gets: the API, how to print, and whether to print JSON. */
export interface CommandContext {
  client: ApiClient;
  json: boolean;
  progress: Progress;
  out: (text: string) => void;
  /** For --follow: resolves when the user interrupts (Ctrl-C). */
  interrupted: Promise<void>;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage and options, as printed by `talks <command> --help`. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: { min: number; max: number };
  run(ctx: CommandContext, values: OptionValues, positionals: string[]): Promise<void>;
}

export const stringOption = (values: OptionValues, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};
