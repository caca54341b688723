import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { CliError, exitCodes } from './cli-errors.js';
import { type Command, stringOption } from './command.js';
import { historyPages } from './history-pages.js';

export const exportCommand: Command = {
  name: 'export',
  summary: 'the whole log of a talks as JSON Lines (stored events, hashes included)',
  help: `talks export <talks-id> [--output <file>]

Writes every stored event of the talks, in version order, one JSON object a line, exactly
as the store keeps it (talksId, version, recordedAt, recordedBy, prevHash, hash...), so
that the hash chain can be verified offline or the log imported elsewhere.

  --output <file>     write to a file instead of stdout`,
  options: { output: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, values, [talksId]) {
    const output = stringOption(values, 'output');
    let file: WriteStream | undefined;
    if (output !== undefined) {
      file = createWriteStream(output, { flags: 'w' });
      await Promise.race([
        once(file, 'open'),
        once(file, 'error').then(([e]) => {
          throw new CliError(exitCodes.input, `Cannot write ${output}: ${(e as Error).message}`);
        }),
      ]);
    }
    let count = 0;
    for await (const page of historyPages(ctx.client, talksId!)) {
      const text = `${page.map((e) => JSON.stringify(e)).join('\n')}\n`;
      if (file === undefined) ctx.out(text.slice(0, -1));
      else if (!file.write(text)) await once(file, 'drain');
      count += page.length;
      ctx.progress.update(`exported ${count} events of ${talksId}`);
    }
    if (file !== undefined) await new Promise<void>((r) => file.end(r));
    ctx.progress.done(`exported ${count} events of ${talksId}${output === undefined ? '' : ` to ${output}`}`);
  },
};
