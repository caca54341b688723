import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, exitCodeForStatus, exitCodes } from './cli-errors.js';

export interface ClientConfig {
  url: string;
  token: string | undefined;
}

/** --url, else TALKS_URL, else the local server; TALKS_TOKEN, else the local dev token. */
export function clientConfig(urlFlag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ClientConfig {
  const raw = urlFlag ?? env.TALKS_URL ?? 'http://127.0.0.1:3000';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(exitCodes.usage, `Not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(exitCodes.usage, `Not an http(s) URL: ${raw}`);
  const devToken = join(cwd, env.TALKS_DATA_DIR ?? '.talks', 'dev-token');
  const token = env.TALKS_TOKEN?.trim() || (existsSync(devToken) ? readFileSync(devToken, 'utf8').trim() : undefined);
  return { url: url.href.replace(/\/$/, ''), token: token === '' ? undefined : token };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small client for the API: JSON in and out, problem+json turned into a CliError with
 * the exit code its status means. A 503 is retried (the CLI always sends event ids, so a
 * retried submission cannot be stored twice), honouring Retry-After.
 */
export class ApiClient {
  constructor(private readonly config: ClientConfig) {}

  get baseUrl(): string {
    return this.config.url;
  }

  /** The bearer token it sends, for the live feed's handshake. */
  get token(): string | undefined {
    return this.config.token;
  }

  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; accept?: number[] } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
    if (this.config.token !== undefined) headers.authorization = `Bearer ${this.config.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`${this.config.url}${path}`, {
          method,
          headers,
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliError(
          exitCodes.unavailable,
          `Cannot reach ${this.config.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        );
      }
      if (response.status === 503 && attempt < 3) {
        const wait = Math.min(Number(response.headers.get('retry-after') ?? '1') || 1, 10);
        await sleep(wait * 1000);
        continue;
      }
      const accepted = options.accept ?? [200, 201];
      if (accepted.includes(response.status)) {
        const text = await response.text();
        return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
      }
      throw await problemError(response);
    }
  }
}

async function problemError(response: Response): Promise<CliError> {
  const text = await response.text();
  let problem: { title?: string; detail?: string; errors?: { field: string; message: string }[] } = {};
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    problem = { detail: text.slice(0, 200) };
  }
  const details = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  const hint = response.status === 401 ? ' (set TALKS_TOKEN, or start the local server so that .talks/dev-token exists)' : '';
  return new CliError(
    exitCodeForStatus(response.status),
    `${response.status} ${problem.title ?? response.statusText}: ${problem.detail ?? ''}${hint}`,
    details,
  );
}

export const talksPath = (talksId: string, rest = '') => `/talks/${encodeURIComponent(talksId)}${rest}`;
