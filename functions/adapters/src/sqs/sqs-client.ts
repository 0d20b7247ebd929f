import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

/** One SQS client per cold start; `AWS_ENDPOINT_URL_SQS` or `config` points it elsewhere in tests. */
export const createSqsClient = (config: SQSClientConfig = {}): SQSClient =>
  new SQSClient({ maxAttempts: 3, ...config });
