import { afterEach, describe, expect, it } from 'vitest';
import { jsonLog } from '../../functions/composition/http-settings.js';

/** What jsonLog writes to stdout under each POWERTOOLS_LOG_LEVEL (the run itself is SILENT: vitest.config.ts). */
const level = process.env.POWERTOOLS_LOG_LEVEL;
afterEach(() => {
  if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = level;
});

function written(setting: string | undefined, entries: Record<string, unknown>[]): Record<string, unknown>[] {
  if (setting === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = setting;
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => lines.push(chunk) > 0) as typeof process.stdout.write;
  try {
    for (const entry of entries) jsonLog(entry);
  } finally {
    process.stdout.write = write;
  }
  for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const entries = [
  { level: 'DEBUG', message: 'd' },
  { level: 'INFO', message: 'i' },
  { level: 'WARN', message: 'w' },
  { level: 'ERROR', message: 'e' },
  { _aws: { CloudWatchMetrics: [] }, Refusals: 1 },
];

describe('jsonLog', () => {
  it('writes one JSON object a line, timestamp first, INFO and up by default, metrics documents always', () => {
    const lines = written(undefined, entries);
    expect(lines.map((l) => l.message ?? 'emf')).toEqual(['i', 'w', 'e', 'emf']);
    expect(Object.keys(lines[0] as object)[0]).toBe('timestamp');
    expect(Date.parse(String(lines[0]?.timestamp))).not.toBeNaN();
  });

  it('drops lines below POWERTOOLS_LOG_LEVEL, and everything at SILENT', () => {
    expect(written('warn', entries).map((l) => l.message ?? 'emf')).toEqual(['w', 'e', 'emf']);
    expect(written('DEBUG', entries)).toHaveLength(5);
    expect(written('SILENT', entries)).toEqual([]);
  });
});
