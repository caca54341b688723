import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue } from './delivery-queue.js';
import { type DeliveryTask, deliveryGroupOf } from './delivery-task.js';

/**
 * Deliveries on AWS: an SQS FIFO queue, one message group per (subscription, talks), so a
 * receiver sees one talks in version order while other groups go on; the deduplication id
 * is the webhook-id, so the consumer handing a change over twice queues it once (within
 * SQS's five-minute window; the receiver deduplicates beyond it by webhook-id).
 */
export const sqsDeliveryQueue = (client: Pick<SQSClient, 'send'>, queueUrl: string): DeliveryQueue => ({
  async enqueue(tasks: readonly DeliveryTask[]) {
    for (let i = 0; i < tasks.length; i += 10) {
      const batch = tasks.slice(i, i + 10);
      const answer = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((task, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify(task),
            MessageGroupId: deliveryGroupOf(task),
            MessageDeduplicationId: task.webhookId,
          })),
        }),
      );
      if ((answer.Failed ?? []).length > 0)
        throw new Error(
          `SQS refused ${answer.Failed?.length} deliveries: ${answer.Failed?.[0]?.Code ?? '?'} ${answer.Failed?.[0]?.Message ?? ''}`,
        );
    }
  },
});
