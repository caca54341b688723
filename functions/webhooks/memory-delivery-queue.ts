import type { DeliveryQueue } from './delivery-queue.js';
import { type DeliveryTask, deliveryGroupOf } from './delivery-task.js';
import type { DeliveryStep } from './retry-policy.js';

/**
 * The local server's delivery queue: one line per (subscription, talks), worked one task
 * at a time so that a receiver sees a talks in version order, with the dispatcher's own
 * retry steps (the same `dispatch` as on AWS). In memory: deliveries still queued when the
 * server stops are not kept (the consumer's checkpoint has moved past them).
 */
export class MemoryDeliveryQueue implements DeliveryQueue {
  private readonly lines = new Map<string, DeliveryTask[]>();
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly working = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly attempt: (task: DeliveryTask, attempt: number) => Promise<DeliveryStep>,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  async enqueue(tasks: readonly DeliveryTask[]): Promise<void> {
    for (const task of tasks) {
      // The consumer is at least once: a change handed over twice is queued once.
      if (this.queued.has(task.webhookId)) continue;
      this.queued.add(task.webhookId);
      const group = deliveryGroupOf(task);
      const line = this.lines.get(group);
      if (line !== undefined) {
        line.push(task);
        continue;
      }
      this.lines.set(group, [task]);
      const work = this.work(group).finally(() => this.working.delete(work));
      this.working.add(work);
    }
  }

  /** Tasks not yet done, across every line. */
  get pending(): number {
    let count = 0;
    for (const line of this.lines.values()) count += line.length;
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.working]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
      // A stop resolves every wait at once.
      if (this.stopped) {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private async work(group: string): Promise<void> {
    const line = this.lines.get(group) as DeliveryTask[];
    let attempt = 1;
    let errors = 0;
    while (!this.stopped && line.length > 0) {
      const task = line[0] as DeliveryTask;
      let step: DeliveryStep;
      try {
        step = await this.attempt(task, attempt);
        errors = 0;
      } catch (error) {
        // The dispatcher itself failed (DynamoDB Local briefly away): try the same attempt again.
        this.onError(error as Error);
        errors += 1;
        await this.sleep(Math.min(5_000, 100 * 2 ** errors));
        continue;
      }
      if (step.kind === 'retry') {
        attempt += 1;
        await this.sleep(step.delayMs);
        continue;
      }
      line.shift();
      this.queued.delete(task.webhookId);
      attempt = 1;
    }
    if (line.length === 0) this.lines.delete(group);
  }
}
