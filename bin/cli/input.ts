import { readFileSync } from 'node:fs';
import { CliError, exitCodes } from './cli-errors.js';

/** The whole of a file, or of standard input for "-". */
export async function readSource(source: string): Promise<string> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(source, 'utf8');
  } catch (error) {
    throw new CliError(exitCodes.input, `Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Events from text that is one JSON event, a JSON array of them, `{"events": [...]}`, or
 * JSON Lines (one event a line; blank lines ignored). Errors name the line.
 */
export function parseEvents(text: string, name: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new CliError(exitCodes.input, `${name} is empty`);
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  const fromWhole = Array.isArray(whole) ? whole : isObject(whole) ? (Array.isArray(whole.events) ? whole.events : [whole]) : undefined;
  const events =
    fromWhole ??
    trimmed.split('\n').flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new CliError(exitCodes.input, `${name} line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    });
  events.forEach((event, i) => {
    if (!isObject(event)) throw new CliError(exitCodes.input, `${name}: item ${i + 1} is not a JSON object`);
  });
  return events as Record<string, unknown>[];
}
