import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { project } from '../../functions/domain/project.js';
import { busEntry, eventBusSink, eventBusSource } from '../../functions/feed/event-bus-sink.js';
import type { FeedChange } from '../../functions/feed/feed-change.js';
import { summarize } from '../../functions/store/item-keys.js';
import { opened, storeAll } from '../support/event-builders.js';

const [event] = storeAll('bus-talks', [opened()]);
const change = (replayed: boolean): FeedChange => ({
  talksId: 'bus-talks',
  version: 1,
  headHash: event!.hash,
  event: event!,
  summary: summarize(project('bus-talks', [event!])),
  replayed,
});

describe('the EventBridge publishing', () => {
  it('names the event type as detail-type and carries talks id, version, the event, the summary and replayed', () => {
    const entry = busEntry(change(true), 'talks-bus');
    expect(entry).toMatchObject({ EventBusName: 'talks-bus', Source: eventBusSource, DetailType: 'talks.opened' });
    expect(entry.Time?.toISOString()).toBe(event!.recordedAt);
    const detail = JSON.parse(entry.Detail ?? '{}');
    expect(detail).toMatchObject({ talksId: 'bus-talks', version: 1, headHash: event!.hash, replayed: true });
    expect(detail.event).toEqual(JSON.parse(JSON.stringify(event)));
    expect(detail.summary.version).toBe(1);
    expect(Buffer.byteLength(entry.Detail ?? '')).toBeLessThan(256 * 1024);
  });

  it('sends one PutEvents per change and fails when EventBridge refuses the entry (so the consumer retries)', async () => {
    const sent: PutEventsCommand[] = [];
    let refuse = false;
    const client = {
      send: async (command: PutEventsCommand) => {
        sent.push(command);
        return refuse
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] };
      },
    };
    const sink = eventBusSink(client as never, 'talks-bus');
    await sink.deliver(change(false));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.input.Entries?.[0]?.DetailType).toBe('talks.opened');
    refuse = true;
    await expect(sink.deliver(change(false))).rejects.toThrow(/ThrottlingException/);
  });
});
