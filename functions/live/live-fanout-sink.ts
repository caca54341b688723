import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { FeedChange, FeedSink } from '../feed/feed-change.js';
import { changeMessage } from './change-message.js';

/** The environment variable naming the fan-out function, set on the feed's consumer by lib/talks-live.ts. */
export const liveFanoutFunctionEnvVar = 'LIVE_FANOUT_FUNCTION';

/**
 * The live updates' FeedSink on AWS: hands each change to the fan-out function as an
 * asynchronous invocation. Lambda queues it durably (and retries it) before answering 202,
 * so the consumer goes on at once instead of waiting on every WebSocket post; a rejection
 * (throttled, the function missing) makes the consumer retry the change. Asynchronous
 * invocations may run out of order: each message carries its version, and a client that
 * sees one ahead of what it holds re-reads (README, "Live updates").
 */
export function liveFanoutSink(lambda: LambdaClient, functionName: string): FeedSink {
  return {
    name: 'live',
    async deliver(change: FeedChange) {
      const response = await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(changeMessage(change))),
        }),
      );
      if (response.StatusCode !== 202) throw new Error(`The live fan-out was not queued: HTTP ${response.StatusCode}`);
    },
  };
}
