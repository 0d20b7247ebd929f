import { createSdkErrorMapper } from '../aws-sdk-errors.js';

/** What the DynamoDB SDK throws (after its own retries), as the port's typed errors. */
export const mapDynamoDbError = createSdkErrorMapper(
  'DynamoDB',
  // Capacity, a concurrent transaction, the service: the same request can succeed later.
  new Set([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'InternalServerError',
    'ServiceUnavailable',
    'TransactionConflictException',
    'TransactionInProgressException',
    'LimitExceededException',
    'TimeoutError',
    'RequestTimeout',
  ]),
);
