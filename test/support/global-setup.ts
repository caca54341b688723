import type { TestProject } from 'vitest/node';
import { type DynamoDbCredentials, startDynamoDbLocal } from '../../bin/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    /** The run's database: DynamoDB Local keeps one per access key, others see none of it. */
    dynamoCredentials: DynamoDbCredentials;
  }
}

/** Starts one in-memory DynamoDB Local on a free port, with fresh credentials, for the whole test run. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('dynamoCredentials', {
    accessKeyId: dynamo.credentials.accessKeyId,
    secretAccessKey: dynamo.credentials.secretAccessKey,
  });
  return async () => {
    await dynamo.stop();
  };
}
