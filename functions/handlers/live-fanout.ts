import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { jsonLog } from '../composition/http-settings.js';
import { createDocumentClient, requiredEnv } from '../composition/runtime.js';
import { LiveConnections } from '../live/live-connections.js';
import { liveFanout } from '../live/live-fanout.js';
import type { ChangeMessage } from '../live/live-protocol.js';

/** Lambda entry: invoked asynchronously by the feed's live sink with one change message. */
const connections = new LiveConnections(createDocumentClient(), requiredEnv(process.env, 'LIVE_CONNECTIONS_TABLE'));
// The stage's https callback URL (the WebSocket API's management endpoint).
const management = new ApiGatewayManagementApiClient({ endpoint: requiredEnv(process.env, 'LIVE_CALLBACK_URL') });

const fanout = liveFanout(
  connections,
  async (connectionId, data) => {
    try {
      await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(data) }));
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410)
        return 'gone';
      throw error;
    }
  },
  jsonLog,
);

export const handler = (message: ChangeMessage) => fanout(message);
