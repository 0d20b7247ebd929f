import { createSdkErrorMapper } from '../aws-sdk-errors.js';

/** What the S3 SDK throws (after its own retries), as the port's typed errors. */
export const mapS3Error = createSdkErrorMapper(
  'S3',
  new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeout', 'TimeoutError']),
);
