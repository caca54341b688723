import type { DeliveryTask } from './delivery-task.js';

/**
 * Where the webhook sink leaves deliveries: durable and ordered per (subscription, talks)
 * on AWS (an SQS FIFO queue, functions/webhooks/sqs-delivery-queue.ts), in process locally
 * (memory-delivery-queue.ts). Resolving means queued.
 */
export interface DeliveryQueue {
  enqueue(tasks: readonly DeliveryTask[]): Promise<void>;
}
