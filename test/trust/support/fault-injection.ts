import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Faults DynamoDB can produce, injected by an SDK middleware in the `deserialize` step:
 * inside the SDK's retry loop, so every attempt passes through it and the SDK's own
 * retries are exercised exactly as they would be against the real service.
 */
export type Fault = 'throttle' | 'timeout' | 'refused' | 'server-error' | 'conflict' | 'validation' | 'lost-response';

/** Errors shaped as the SDK delivers them (name, $fault, $metadata, code). */
export function faultError(fault: Exclude<Fault, 'lost-response'>): Error {
  const aws = (name: string, message: string, httpStatusCode: number, $fault: 'client' | 'server') =>
    Object.assign(new Error(message), { name, $fault, $metadata: { httpStatusCode, attempts: 1 } });
  switch (fault) {
    case 'throttle':
      return aws('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400, 'client');
    case 'timeout':
      // What @smithy/node-http-handler throws when requestTimeout passes.
      return Object.assign(new Error('Connection timed out after 2000 ms'), { name: 'TimeoutError' });
    case 'refused':
      return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    case 'server-error':
      return aws('InternalServerError', 'Internal server error', 500, 'server');
    case 'validation':
      return aws('ValidationException', 'One or more parameter values were invalid: secret internals', 400, 'client');
    case 'conflict':
      // Another transaction held an item: DynamoDB cancels ours with TransactionConflict.
      return new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, TransactionConflict]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'None' },
          { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
        ],
      });
  }
}

export interface FaultPlan {
  /** Command names without "Command", as the SDK names them (TransactWriteItems, GetItem...). */
  command: string;
  fault: Fault;
  /** How many attempts fail; Infinity for an outage. */
  times: number;
}

export interface Injector {
  /** Attempts that reached the injector, by command name (faulted or not). */
  readonly attempts: Map<string, number>;
  readonly injected: Map<string, number>;
  plan(plan: FaultPlan | undefined): void;
}

export function injectFaults(doc: DynamoDBDocumentClient): Injector {
  const attempts = new Map<string, number>();
  const injected = new Map<string, number>();
  let current: (FaultPlan & { left: number }) | undefined;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? '').replace(/Command$/, '');
      attempts.set(name, (attempts.get(name) ?? 0) + 1);
      const hit = current !== undefined && current.command === name && current.left > 0;
      if (!hit || current === undefined) return next(args);
      current.left -= 1;
      injected.set(`${name}:${current.fault}`, (injected.get(`${name}:${current.fault}`) ?? 0) + 1);
      if (current.fault !== 'lost-response') throw faultError(current.fault);
      // The write happens, the answer never arrives: the ambiguous failure.
      await next(args);
      throw faultError('timeout');
    },
    { step: 'deserialize', name: 'trustFaultInjector', override: true },
  );
  return {
    attempts,
    injected,
    plan(plan) {
      attempts.clear();
      current = plan === undefined ? undefined : { ...plan, left: plan.times };
    },
  };
}
