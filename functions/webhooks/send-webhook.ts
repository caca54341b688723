import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { checkedAddresses, checkUrlShape, type TargetPolicy } from './target-guard.js';

export interface SendResult {
  /** The receiver's status; undefined when it could not be reached or did not answer in time. */
  readonly statusCode?: number;
  readonly error?: string;
  readonly durationMs: number;
}

export type SendWebhook = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** Answers `lookup` with the one address already checked, so the connection goes exactly there. */
const pinnedLookup =
  (address: string): LookupFunction =>
  (_hostname, options, callback) => {
    const family = isIP(address);
    if ((options as { all?: boolean }).all === true)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };

/**
 * POSTs one signed delivery. The target is checked again here, at each attempt, and the
 * socket connects to the address that passed (never a second resolution): a name rebound
 * to a private address after the subscription was accepted is refused, not reached.
 * Redirects are not followed (a 3xx is a failure), so a receiver cannot bounce us inward.
 */
export const sendWebhook =
  (policy: TargetPolicy, timeoutMs: number): SendWebhook =>
  async (url, headers, body) => {
    const started = Date.now();
    let address: string;
    let target: URL;
    try {
      target = checkUrlShape(url, policy);
      [address] = (await checkedAddresses(target, policy)) as [string];
    } catch (error) {
      return { error: `refused: ${(error as Error).message}`, durationMs: Date.now() - started };
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SendResult>((resolve) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'talks-status-webhooks/1', ...headers },
          lookup: pinnedLookup(address),
          timeout: timeoutMs,
        },
        (response) => {
          // The answer's body is not needed; reading it frees the socket.
          response.resume();
          response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, durationMs: Date.now() - started }));
          response.on('error', (error) => resolve({ error: error.message, durationMs: Date.now() - started }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error) => resolve({ error: error.message, durationMs: Date.now() - started }));
      req.end(body);
    });
  };
