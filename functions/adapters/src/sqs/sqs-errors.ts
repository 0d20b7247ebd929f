import { createSdkErrorMapper } from '../aws-sdk-errors.js';

/** What the SQS SDK throws (after its own retries), as the port's typed errors. */
export const mapSqsError = createSdkErrorMapper('SQS', new Set(['RequestThrottled', 'ThrottlingException', 'KmsThrottled', 'ServiceUnavailable', 'InternalError']));
