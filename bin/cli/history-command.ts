import { usageError } from './cli-errors.js';
import { type Command, type CommandContext, stringOption } from './command.js';
import { type HistoryPage, historyPageBodies } from './history-pages.js';
import { findLiveUrl, followLive } from './live-follow.js';
import { shortTime, table } from './output.js';

function print(ctx: CommandContext, page: HistoryPage, header: boolean): void {
  if (ctx.json) {
    for (const event of page.items) ctx.out(JSON.stringify(event));
    return;
  }
  // The API's words for each event (the domain's, as in the status's lastDevelopment).
  const summaries = new Map((page.summaries ?? []).map((s) => [s.version, s.summary]));
  const text = table(page.items, [
    { header: 'VERSION', value: (e) => String(e.version) },
    { header: 'VALID TIME', value: (e) => shortTime(e.occurredAt ?? e.reportedAt) },
    { header: 'TYPE', value: (e) => e.type },
    { header: 'SOURCE', value: (e) => [e.source.name, e.source.attribution].filter(Boolean).join(': '), max: 36 },
    { header: 'SUMMARY', value: (e) => summaries.get(e.version) ?? '(the API gave no summary)' },
  ]);
  ctx.out(header ? text : text.split('\n').slice(1).join('\n'));
}

const wholeNumber = (value: string | undefined, flag: string, fallback: number, min: number): number => {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) throw usageError(`${flag} takes a whole number of at least ${min}, not ${value}`);
  return Number(value);
};

export const historyCommand: Command = {
  name: 'history',
  summary: 'the developments of a talks in order; --follow prints new ones as they arrive (live feed)',
  help: `talks history <talks-id> [--after <version>] [--types <type,type>] [--follow [--live-url <ws-url>] [--interval <seconds>]]

Prints the history in version order: a table with each development in the API's words (the
same as the status's last development), or with --json one stored event a line, as stored.

  --after <n>         start after version n
  --types <list>      only these event types, comma-separated
  --follow            keep printing new developments as they arrive, until interrupted (Ctrl-C):
                      over the API's live feed (WebSocket), re-reading the history after each
                      announcement and after each reconnection, so nothing is skipped
  --live-url <url>    the live feed (else TALKS_LIVE_URL, else the one the API's status page names)
  --interval <s>      with --follow against an API without a live feed: seconds between polls (default 2)`,
  options: {
    after: { type: 'string' },
    types: { type: 'string' },
    follow: { type: 'boolean' },
    interval: { type: 'string' },
    'live-url': { type: 'string' },
  },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [talksId]) {
    let after = wholeNumber(stringOption(values, 'after'), '--after', 0, 0);
    const interval = wholeNumber(stringOption(values, 'interval'), '--interval', 2, 1);
    const types = stringOption(values, 'types');
    let first = true;
    // A filtered page may end before the head: the last version read, not the last printed, is where to go on.
    const drain = async () => {
      for await (const page of historyPageBodies(ctx.client, talksId!, { after, ...(types === undefined ? {} : { types }) })) {
        print(ctx, page, first);
        first = false;
        after = page.items.at(-1)!.version;
      }
    };
    if (values.follow !== true) return drain();
    const liveUrl = await findLiveUrl(ctx.client, stringOption(values, 'live-url'));
    if (liveUrl !== undefined) {
      // Subscribed before the first read, so nothing appended in between is missed.
      return followLive({
        url: liveUrl,
        talksId: talksId!,
        token: ctx.client.token,
        catchUp: drain,
        seen: () => after,
        note: (line) => ctx.progress.update(line),
        stopped: ctx.interrupted,
      });
    }
    await drain();
    let stop = false;
    void ctx.interrupted.then(() => (stop = true));
    while (!stop) {
      await Promise.race([new Promise((r) => setTimeout(r, interval * 1000)), ctx.interrupted]);
      if (!stop) await drain();
    }
  },
};
