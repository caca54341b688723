import { usageError } from './cli-errors.js';
import { type Command, stringOption } from './command.js';
import { printStored } from './submit-command.js';
import { submitInBatches } from './submit-events.js';

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const openCommand: Command = {
  name: 'open',
  summary: 'open a talks (submits a talks.opened event built from flags)',
  help: `talks open --id <talks-id> --title <title> --party <name> [--party <name>...]
           [--mediator <name>...] [--subject <text>] [--format direct|indirect|proximity]
           --source <outlet> [--source-url <url>] [--attribution <who said it>]
           [--reported-at <ISO time, default now>] [--occurred-at <ISO time>] [--event-id <uuid>]

Opens a talks: its first event must be talks.opened, and a talks opens once (a second
open is a conflict, exit 6).`,
  options: {
    id: { type: 'string' },
    title: { type: 'string' },
    subject: { type: 'string' },
    party: { type: 'string', multiple: true },
    mediator: { type: 'string', multiple: true },
    format: { type: 'string' },
    source: { type: 'string' },
    'source-url': { type: 'string' },
    attribution: { type: 'string' },
    'reported-at': { type: 'string' },
    'occurred-at': { type: 'string' },
    'event-id': { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, values) {
    const s = (name: string) => stringOption(values, name);
    const talksId = s('id');
    const missing = ['id', 'title', 'source'].filter((name) => s(name) === undefined);
    if (list(values.party).length === 0) missing.push('party');
    if (missing.length > 0 || talksId === undefined) throw usageError(`talks open needs ${missing.map((m) => `--${m}`).join(', ')}`);
    const event = {
      ...(s('event-id') === undefined ? {} : { eventId: s('event-id') }),
      type: 'talks.opened',
      ...(s('occurred-at') === undefined ? {} : { occurredAt: s('occurred-at') }),
      reportedAt: s('reported-at') ?? new Date().toISOString(),
      source: {
        name: s('source'),
        ...(s('source-url') === undefined ? {} : { url: s('source-url') }),
        ...(s('attribution') === undefined ? {} : { attribution: s('attribution') }),
      },
      data: {
        title: s('title'),
        ...(s('subject') === undefined ? {} : { subject: s('subject') }),
        parties: list(values.party),
        mediators: list(values.mediator),
        ...(s('format') === undefined ? {} : { format: s('format') }),
      },
    };
    // "0": only if the talks does not exist yet, so a typo'd id never lands in another talks.
    const rows = await submitInBatches(ctx.client, talksId, [event], { progress: ctx.progress, expectedVersion: 0 });
    ctx.progress.done();
    printStored(ctx, rows);
  },
};
