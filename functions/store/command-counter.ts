import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Counts DynamoDB round trips by command name: the budget is stated in round trips. */
export interface CommandCounter {
  readonly counts: Map<string, number>;
  total(): number;
  reset(): void;
}

export function countCommands(client: DynamoDBClient | DynamoDBDocumentClient): CommandCounter {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    // Before retries: one count per call the code makes, not per HTTP attempt.
    { step: 'initialize', name: 'talksCommandCounter', override: true },
  );
  return {
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
  };
}
