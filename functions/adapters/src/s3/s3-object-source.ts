import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectSource } from '@creditline/domain';
import { Readable } from 'node:stream';
import { mapS3Error } from './s3-errors.js';

async function* nothing(): AsyncGenerator<Uint8Array> {
  // An object with no body is empty.
}

/** In Node.js, GetObject's body is the response socket's stream. */
const streamOf = (body: unknown): AsyncIterable<Uint8Array> => {
  if (body === undefined) return nothing();
  if (body instanceof Readable) return body;
  throw new TypeError('GetObject returned a body that is not a Node.js stream');
};

/**
 * Objects read as a stream straight from GetObject: the bytes are handed on chunk by chunk as
 * the socket delivers them, so a file of any size costs a few chunks of memory.
 */
export const createS3ObjectSource = (s3: S3Client): ObjectSource => ({
  async open({ bucket, key }) {
    try {
      const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        body: streamOf(output.Body),
        ...(output.ContentLength === undefined ? {} : { size: output.ContentLength }),
        // S3 quotes the ETag in headers, not in event notifications.
        ...(output.ETag === undefined ? {} : { etag: output.ETag.replaceAll('"', '') }),
      };
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw mapS3Error(error, `GetObject s3://${bucket}/${key}`);
    }
  },
});
