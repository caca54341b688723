import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { liveSubprotocol, type ServerMessage } from '../../functions/live/live-protocol.js';
import type { ApiClient } from './api-client.js';
import { CliError, exitCodeForStatus } from './cli-errors.js';

/**
 * Where the live updates are: --live-url, else TALKS_LIVE_URL, else what the API's status
 * page names (`<meta name="talks-live-url">`, filled in by the server on AWS and locally),
 * else the local server's data dir. Undefined: the API has none, and --follow polls.
 */
export async function findLiveUrl(
  client: ApiClient,
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<string | undefined> {
  const given = flag ?? env.TALKS_LIVE_URL;
  if (given !== undefined && given !== '') return given;
  try {
    const page = await fetch(`${client.baseUrl}/`, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5_000) });
    const named = (await page.text()).match(/<meta name="talks-live-url" content="([^"]+)">/)?.[1];
    if (named !== undefined) return named.replace(/&amp;/g, '&');
  } catch {
    // No page (an API without one): the data dir may still say.
  }
  const file = join(cwd, env.TALKS_DATA_DIR ?? '.talks', 'live-url');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

export interface LiveFollowOptions {
  url: string;
  talksId: string;
  token: string | undefined;
  /** Reads and prints what is new; called once subscribed (and after every reconnection) and for each announced version past `seen()`. */
  catchUp: () => Promise<void>;
  /** The last version printed. */
  seen: () => number;
  note: (line: string) => void;
  stopped: Promise<void>;
}

/**
 * Follows one talks over the live feed until `stopped` resolves. Each message only says
 * that something is new; the events themselves are read from the API (`events?after=`),
 * so a message lost while disconnected, or a gap, costs one read and never a line.
 */
export async function followLive(options: LiveFollowOptions): Promise<void> {
  let stop = false;
  let socket: WebSocket | undefined;
  void options.stopped.then(() => {
    stop = true;
    socket?.close();
  });
  // One catch-up at a time; announcements meanwhile fold into one more round.
  let running: Promise<void> | undefined;
  let again = false;
  const catchUpSoon = (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await options.catchUp();
      } while (again && !stop);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  let failure: unknown;
  for (let attempt = 0; !stop && failure === undefined; attempt += 1) {
    const ws = new WebSocket(options.url, [liveSubprotocol], {
      ...(options.token === undefined ? {} : { headers: { authorization: `Bearer ${options.token}` } }),
      handshakeTimeout: 10_000,
    });
    socket = ws;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('error', () => {});
    ws.on('unexpected-response', (_request, response) => {
      // A refused token will be refused again: say so and stop, as a refused read does.
      if (response.statusCode === 401 || response.statusCode === 403)
        failure = new CliError(
          exitCodeForStatus(response.statusCode),
          `The live feed refused the token (HTTP ${response.statusCode}): it needs talks/read`,
        );
      ws.terminate();
    });
    ws.on('open', () => {
      attempt = 0;
      ws.send(JSON.stringify({ action: 'subscribe', talksIds: [options.talksId] }));
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'subscriptions') {
        options.note(`Following ${options.talksId} live (${options.url}); Ctrl-C to stop`);
        catchUpSoon().catch((error: unknown) => {
          failure = error;
          ws.close();
        });
      } else if (message.type === 'change' && message.talksId === options.talksId && message.version > options.seen()) {
        catchUpSoon().catch((error: unknown) => {
          failure = error;
          ws.close();
        });
      } else if (message.type === 'error') options.note(`The live feed said: ${message.title}: ${message.detail}`);
    });
    await closed;
    await running;
    if (stop || failure !== undefined) break;
    const delay = Math.min(15_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
    options.note(`Live feed lost; reconnecting in ${Math.round(delay / 100) / 10} s`);
    await Promise.race([new Promise((r) => setTimeout(r, delay)), options.stopped]);
  }
  if (failure !== undefined) throw failure;
}
