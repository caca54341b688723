/** Human output: aligned tables, short times, progress on stderr (never mixed into data). */

/**
 * What a terminal would act on rather than show: C0 controls but tab and newline, DEL, C1
 * (U+009B is an 8-bit CSI), bidirectional controls, unpaired surrogates. The API refuses them
 * now, but events stored before it did may hold them, so whatever the CLI prints passes here.
 * Each becomes a visible `\u001b`; inside JSON text that escape means the same character.
 */
const unprintable = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);
export const terminalSafe = (text: string): string =>
  text.replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Cells are clipped to this many characters (the last column never is). */
  max?: number;
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((c, i) => (i === columns.length - 1 ? c.value(row) : clip(c.value(row).replace(/\s+/g, ' '), c.max ?? 40))),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** 2025-01-13T12:00:00.000Z → 2025-01-13 12:00Z; midnight dates lose the time. */
export function shortTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const [date, time = ''] = iso.split('T');
  const hm = time.slice(0, 5);
  return hm === '00:00' ? date! : `${date} ${hm}Z`;
}

/** "in 3d 4h" or "passed 2d ago", from a deadline's end to the moment it was read. */
export function timeLeft(endIso: string, nowIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(nowIso);
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m`;
  return ms > 0 ? `in ${span}` : `passed ${span} ago`;
}

export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

/** Progress on stderr: one rewritten line on a terminal, plain lines in a log. */
export function progress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet) return { update() {}, done() {} };
  let shown = false;
  return {
    update(message) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${message}`);
        shown = true;
      } else stream.write(`${message}\n`);
    },
    done(message) {
      if (shown) stream.write('\r\x1b[2K');
      if (message !== undefined) stream.write(`${message}\n`);
    },
  };
}
