import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DeliveryTask } from './delivery-task.js';
import { type DispatchDeps, dispatch } from './dispatcher.js';
import type { DeliveryStep } from './retry-policy.js';

/** SQS hides a message for at most 12 hours. */
const maxVisibilitySeconds = 43_200;

/**
 * The webhook dispatcher on AWS, over the FIFO queue. A retry hides the message for its
 * backoff (ChangeMessageVisibility): its group waits meanwhile, so the talks stays in order.
 * A FIFO batch stops at its first failure and returns it and everything after it, as Lambda
 * asks, so that no later message of a group overtakes it. A dead letter goes to the FIFO
 * dead-letter queue (kept 14 days) and the message is deleted: the group goes on.
 */
export function sqsDispatchHandler(deps: DispatchDeps, sqs: Pick<SQSClient, 'send'>, queueUrl: string, deadLetterQueueUrl: string) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      if (failures.length > 0) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const task = JSON.parse(record.body) as DeliveryTask;
      const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
      let step: DeliveryStep;
      try {
        step = await dispatch(deps, task, attempt);
      } catch (error) {
        deps.log({ level: 'error', message: 'webhook: attempt could not be made', webhookId: task.webhookId, error: String(error) });
        step = { kind: 'retry', delayMs: deps.settings.firstRetryMs };
      }
      if (step.kind === 'retry') {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: Math.min(maxVisibilitySeconds, Math.ceil(step.delayMs / 1000)),
          }),
        );
        failures.push({ itemIdentifier: record.messageId });
      } else if (step.kind === 'dead-letter') {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: deadLetterQueueUrl,
            MessageBody: record.body,
            MessageGroupId: record.attributes.MessageGroupId ?? task.subscriptionId,
            MessageDeduplicationId: task.webhookId,
          }),
        );
      }
    }
    return { batchItemFailures: failures };
  };
}
