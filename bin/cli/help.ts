import { exitCodeHelp } from './cli-errors.js';
import type { Command } from './command.js';

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `talks: the command line of the talks status store

Usage: talks <command> [arguments] [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
${'  help'.padEnd(width + 2)}  talks help <command> shows a command's options

Options for every command:
  --url <url>    the API (default: $TALKS_URL, else http://127.0.0.1:3000)
  --json         print JSON for scripts instead of tables (history: one event a line)
  --quiet        no progress on stderr
  -h, --help     this help, or a command's help after its name

Environment:
  TALKS_URL      the API, when --url is not given
  TALKS_TOKEN    a bearer token (OAuth 2.0 access token with talks/read, talks/write or
                 talks/audit); when unset, .talks/dev-token (written by "npm start") is used
  TALKS_DATA_DIR where to look for dev-token instead of .talks

Exit codes:
${Object.entries(exitCodeHelp)
  .map(([code, text]) => `  ${code.padStart(2)}  ${text}`)
  .join('\n')}

Examples:
  talks open --id my-talks --title "Border talks" --party A --party B --mediator C --source Reuters
  talks submit developments.jsonl --talks my-talks
  talks status gaza-ceasefire-2025 --at-version 10
  talks history gaza-ceasefire-2025 --follow
  talks export gaza-ceasefire-2025 > gaza.jsonl && talks import gaza.jsonl --url https://other.example
  talks verify gaza.jsonl --checkpoint gaza-checkpoint.json --jwks jwks.json
  talks checkpoint gaza-ceasefire-2025 --json > gaza-checkpoint.json
  talks proof inclusion gaza-ceasefire-2025 --version 7 --checkpoint gaza-checkpoint.json`;
}

export const commandHelp = (command: Command): string => `${command.help}

Options for every command: --url <url>, --json, --quiet, -h/--help (see "talks --help").`;
