import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** One delivery as the receiver saw it, verified with the `standardwebhooks` package (not our code). */
export interface Received {
  path: string;
  webhookId: string;
  body: { type: string; talksId: string; version: number; headHash: string; replayed: boolean; summary: { version: number } };
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Requests whose signature did not verify against the path's secret. */
  readonly unverified: string[];
  /** Every request per path, answered or not. */
  readonly hits: Map<string, number>;
  /** The secret each path's subscription got; a request to a path without one does not verify. */
  readonly secrets: Map<string, string>;
  /** How a path answers its n-th request (1-based); 200 unless set. */
  answer: (path: string, n: number) => number;
  close(): Promise<void>;
}

const readAll = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A webhook receiver on a loopback port, as a subscriber would run one. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const unverified: string[] = [];
  const hits = new Map<string, number>();
  const secrets = new Map<string, string>();
  const receiver: Receiver = {
    url: '',
    received,
    unverified,
    hits,
    secrets,
    answer: () => 200,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '/';
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      const payload = await readAll(request);
      const status = receiver.answer(path, n);
      const secret = secrets.get(path);
      try {
        if (secret === undefined) throw new Error('no secret for this path');
        const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
        const body = new Webhook(secret).verify(payload, headers) as Received['body'];
        if (status >= 200 && status < 300) received.push({ path, webhookId: headers['webhook-id'] ?? '', body });
      } catch (error) {
        unverified.push(`${path}: ${(error as Error).message}`);
      }
      response.writeHead(status).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  (receiver as { url: string }).url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return receiver;
}

/** Waits until `done()` holds, polling; fails with `what` after `timeoutMs` (a bound for a hung run, not a speed claim). */
export async function eventually(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 150_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
