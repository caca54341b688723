import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Requests sent exactly as written: `fetch` would normalise `..`, drop `#...` and refuse
 * odd headers, and the point of these suites is what the server does when a client (or an
 * attacker) does not. One keep-alive agent keeps thousands of requests cheap.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function send(
  port: number,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: options.method,
        path: options.path,
        headers: { ...options.headers, ...(body === undefined ? {} : { 'content-length': String(body.length) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Bytes straight onto a fresh socket, for requests node's client refuses to write. The
 * socket stays open for writing (node's server drops a half-closed request unanswered);
 * the answer is complete when its Content-Length has arrived or the server closes.
 */
export function sendBytes(port: number, bytes: Buffer, timeoutMs = 5_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(bytes.subarray(0, 80).toString('latin1'))}`));
    }, timeoutMs);
    const parse = (): RawResponse | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...headerLines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = received.subarray(end + 4);
      if (body.length < Number(headers['content-length'] ?? 0)) return undefined;
      return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body: body.toString('utf8') };
    };
    const finish = (response: RawResponse | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      if (response === undefined)
        reject(new Error(`the server closed without an answer to ${JSON.stringify(bytes.subarray(0, 80).toString('latin1'))}`));
      else resolve(response);
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const response = parse();
      if (response !== undefined) finish(response);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => finish(parse()));
    socket.write(bytes);
  });
}

export const closeAgent = () => agent.destroy();

/**
 * The contract for every answer to a request the server refused: RFC 9457 problem+json
 * with a type, a title, the same status, and a detail. Returns what is wrong, or nothing.
 */
export function problemViolation(response: RawResponse): string | undefined {
  if (response.status >= 500) return `server error ${response.status}: ${response.body.slice(0, 300)}`;
  if (response.status < 400) return undefined;
  if (response.headers['content-type'] !== 'application/problem+json')
    return `content-type ${response.headers['content-type']} on ${response.status}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return `body is not JSON: ${response.body.slice(0, 200)}`;
  }
  for (const field of ['type', 'title', 'detail'] as const) {
    if (typeof problem[field] !== 'string' || problem[field] === '') return `no ${field} in ${response.body.slice(0, 200)}`;
  }
  if (problem.status !== response.status) return `status ${String(problem.status)} in the body, ${response.status} on the wire`;
  return undefined;
}
