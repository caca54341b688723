import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ApiClient, clientConfig } from './cli/api-client.js';
import { auditCommand } from './cli/audit-command.js';
import { checkpointCommand } from './cli/checkpoint-command.js';
import { CliError, exitCodes, usageError } from './cli/cli-errors.js';
import type { Command, OptionValues } from './cli/command.js';
import { exportCommand } from './cli/export-command.js';
import { commandHelp, mainHelp } from './cli/help.js';
import { historyCommand } from './cli/history-command.js';
import { importCommand } from './cli/import-command.js';
import { openCommand } from './cli/open-command.js';
import { progress, terminalSafe } from './cli/output.js';
import { proofCommand } from './cli/proof-command.js';
import { statusCommand } from './cli/status-command.js';
import { submitCommand } from './cli/submit-command.js';
import { verifyCommand } from './cli/verify-command.js';

/** `talks <command>`: a thin client of the HTTP API (see `talks --help`). */
const commands: readonly Command[] = [
  openCommand,
  submitCommand,
  statusCommand,
  historyCommand,
  auditCommand,
  exportCommand,
  importCommand,
  verifyCommand,
  checkpointCommand,
  proofCommand,
];

const globalOptions: NonNullable<ParseArgsConfig['options']> = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const print = (text: string) => void process.stdout.write(`${terminalSafe(text)}\n`);

async function main(args: string[]): Promise<void> {
  // First pass only finds the command name; the second checks every option strictly.
  const loose = parseArgs({ args, options: globalOptions, allowPositionals: true, strict: false });
  const name = loose.positionals[0];
  if (name === undefined || name === 'help') {
    const topic = commands.find((c) => c.name === loose.positionals[1]);
    print(topic === undefined ? mainHelp(commands) : commandHelp(topic));
    if (name === undefined && loose.values.help !== true) process.exitCode = exitCodes.usage;
    return;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) throw usageError(`Unknown command "${name}"`);
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw usageError(`${(error as Error).message.split('\n')[0]} (talks ${name})`);
  }
  if (parsed.values.help === true) return print(commandHelp(command));
  const positionals = parsed.positionals.slice(1);
  if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
    throw usageError(
      `talks ${name} takes ${command.positionals.min === command.positionals.max ? command.positionals.min : `${command.positionals.min} to ${command.positionals.max}`} argument(s), got ${positionals.length}:\n${command.help.split('\n')[0]}`,
    );
  }
  // Only a following history waits for Ctrl-C; anything else stops at once as usual.
  const interrupted =
    parsed.values.follow === true ? new Promise<void>((resolve) => process.once('SIGINT', () => resolve())) : new Promise<void>(() => {});
  await command.run(
    {
      client: new ApiClient(clientConfig(typeof parsed.values.url === 'string' ? parsed.values.url : undefined)),
      json: parsed.values.json === true,
      progress: progress(parsed.values.quiet === true),
      out: print,
      interrupted,
    },
    parsed.values,
    positionals,
  );
}

// A reader that stops early (`talks export x | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : exitCodes.failure));

// Exit codes are set, not forced with process.exit, so that buffered output is never cut.
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(terminalSafe(`talks: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`));
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(
    terminalSafe(
      `talks: unexpected error: ${process.env.TALKS_DEBUG ? ((error as Error).stack ?? String(error)) : String((error as Error).message ?? error)}\n`,
    ),
  );
  process.exitCode = exitCodes.failure;
});
