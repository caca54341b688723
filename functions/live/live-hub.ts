import type { FeedChange, FeedSink } from '../feed/feed-change.js';
import { changeMessage, parseClientMessage, type ServerMessage, withSubscriptions } from './live-protocol.js';

/** One open connection as the hub sees it: it can be sent a message, or dropped. */
export interface LiveClient {
  /** Queues a message; false when the client is too far behind and has been dropped. */
  send(message: ServerMessage): boolean;
}

/**
 * Connections and their subscriptions, in memory: the local server's live updates. The
 * feed's consumer hands it every change (it is a FeedSink) and it writes the change to each
 * connection following that talks. Delivery to a connection is best effort by design: a
 * client that falls behind is dropped, reconnects and re-reads, so the feed never waits.
 */
export class LiveHub implements FeedSink {
  readonly name = 'live';
  private readonly followers = new Map<string, Set<LiveClient>>();
  private readonly subscriptions = new Map<LiveClient, Set<string>>();

  get connections(): number {
    return this.subscriptions.size;
  }

  add(client: LiveClient): void {
    this.subscriptions.set(client, new Set());
  }

  remove(client: LiveClient): void {
    for (const talksId of this.subscriptions.get(client) ?? []) this.unfollow(client, talksId);
    this.subscriptions.delete(client);
  }

  /** Handles one text frame from the client; the answer goes back to it alone. */
  receive(client: LiveClient, text: string): void {
    const current = this.subscriptions.get(client);
    if (current === undefined) return;
    const parsed = parseClientMessage(text);
    if ('error' in parsed) {
      client.send(parsed.error);
      return;
    }
    const { message } = parsed;
    switch (message.action) {
      case 'ping':
        client.send({ type: 'pong' });
        return;
      case 'subscribe': {
        const result = withSubscriptions(current, message.talksIds);
        if ('error' in result) {
          client.send(result.error);
          return;
        }
        for (const talksId of message.talksIds) {
          current.add(talksId);
          const set = this.followers.get(talksId) ?? new Set<LiveClient>();
          set.add(client);
          this.followers.set(talksId, set);
        }
        break;
      }
      case 'unsubscribe':
        for (const talksId of message.talksIds) {
          current.delete(talksId);
          this.unfollow(client, talksId);
        }
        break;
      default:
        message satisfies never;
    }
    client.send({ type: 'subscriptions', talksIds: [...current].sort() });
  }

  deliver(change: FeedChange): Promise<void> {
    const followers = this.followers.get(change.talksId);
    if (followers !== undefined) {
      const message = changeMessage(change);
      for (const client of [...followers]) if (!client.send(message)) this.remove(client);
    }
    return Promise.resolve();
  }

  private unfollow(client: LiveClient, talksId: string): void {
    const set = this.followers.get(talksId);
    set?.delete(client);
    if (set?.size === 0) this.followers.delete(talksId);
  }
}
