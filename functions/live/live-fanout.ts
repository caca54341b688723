import { metricNamespace, serviceName } from '../http/metric-names.js';
import type { LiveConnections } from './live-connections.js';
import type { ChangeMessage } from './live-protocol.js';

/** Posts one message to one connection: 'gone' when API Gateway answers 410 (the client left). */
export type PostToConnection = (connectionId: string, data: string) => Promise<'sent' | 'gone'>;

/** Published by the fan-out, read by the stack's alarm on failed posts (lib/talks-live.ts). */
export const liveMetricNames = { sent: 'LiveMessagesSent', gone: 'LiveConnectionsGone', failed: 'LiveMessagesFailed' } as const;
export const liveMetricDimension = { service: 'service' } as const;

/** Posts in flight at once: API Gateway's management API is throttled per account. */
const parallelPosts = 16;

export interface FanoutResult {
  sent: number;
  gone: number;
  failed: number;
}

/**
 * Sends a change to every connection following its talks. A connection API Gateway says is
 * gone (410) is forgotten on the spot; any other failure is counted and logged, not retried:
 * the message is a notification, and a client that misses one re-reads on the next (or on
 * reconnecting), so retrying the whole fan-out would only resend to everyone else.
 */
export function liveFanout(connections: LiveConnections, post: PostToConnection, log: (entry: Record<string, unknown>) => void) {
  return async (message: ChangeMessage): Promise<FanoutResult> => {
    const followers = await connections.followers(message.talksId);
    const data = JSON.stringify(message);
    const result: FanoutResult = { sent: 0, gone: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < followers.length) {
        const connectionId = followers[next++] as string;
        try {
          if ((await post(connectionId, data)) === 'sent') result.sent += 1;
          else {
            result.gone += 1;
            await connections.disconnect(connectionId);
          }
        } catch (error) {
          result.failed += 1;
          log({ level: 'WARN', message: 'live post failed', connectionId, error: (error as Error).name });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelPosts, followers.length) }, worker));
    log({
      level: 'INFO',
      message: 'live fan-out',
      talksId: message.talksId,
      version: message.version,
      followers: followers.length,
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: metricNamespace,
            Dimensions: [[liveMetricDimension.service]],
            Metrics: Object.values(liveMetricNames).map((Name) => ({ Name, Unit: 'Count' })),
          },
        ],
      },
      [liveMetricDimension.service]: serviceName,
      [liveMetricNames.sent]: result.sent,
      [liveMetricNames.gone]: result.gone,
      [liveMetricNames.failed]: result.failed,
    });
    return result;
  };
}
