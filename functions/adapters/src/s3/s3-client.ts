import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * One S3 client per cold start. Checksums are computed only where S3 requires them: the SDK's
 * default adds streaming (aws-chunked) checksums to uploads of unknown length, which s3rver does
 * not understand, and TLS plus S3's own Content-MD5/ETag checks already guard these small
 * reports. The endpoint comes from `AWS_ENDPOINT_URL_S3` in the local runtime; s3rver needs
 * path-style addressing.
 */
export const createS3Client = (config: S3ClientConfig = {}): S3Client =>
  new S3Client({
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
