import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectLocation, ObjectUpload, ObjectWriter } from '@creditline/domain';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { mapS3Error } from './s3-errors.js';

/** S3's smallest part: memory held by one upload is about this times the queue size. */
const PART_SIZE = 5 * 1024 * 1024;

/**
 * Writes objects whole (PutObject) or as a stream (lib-storage Upload: one PutObject when the
 * stream ends under one part, multipart beyond), so a large report never sits in memory whole.
 */
export const createS3ObjectWriter = (s3: S3Client): ObjectWriter => ({
  async put({ bucket, key }, body, contentType) {
    await s3
      .send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      )
      .catch((error: unknown) => {
        throw mapS3Error(error, `PutObject s3://${bucket}/${key}`);
      });
  },

  open(location, contentType) {
    return openUpload(s3, location, contentType);
  },

  async remove({ bucket, key }) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
      throw mapS3Error(error, `DeleteObject s3://${bucket}/${key}`);
    });
  },
});

const openUpload = (
  s3: S3Client,
  { bucket, key }: ObjectLocation,
  contentType: string,
): ObjectUpload => {
  const stream = new PassThrough();
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: stream, ContentType: contentType },
    partSize: PART_SIZE,
    queueSize: 1,
    leavePartsOnError: false,
  });
  const operation = `upload s3://${bucket}/${key}`;
  // Upload reads the stream only once done() is called; a failure surfaces on the next write or at complete().
  let failure: unknown;
  const done = upload.done().then(
    () => undefined,
    (error: unknown) => {
      failure = error;
      stream.destroy();
    },
  );
  const throwIfFailed = (): void => {
    if (failure !== undefined) throw mapS3Error(failure, operation);
  };

  return {
    async write(text) {
      throwIfFailed();
      if (!stream.write(text)) await Promise.race([once(stream, 'drain'), done]);
      throwIfFailed();
    },
    async complete() {
      throwIfFailed();
      stream.end();
      await done;
      throwIfFailed();
    },
    async abort() {
      await upload.abort().catch(() => undefined);
      stream.destroy();
      await done;
    },
  };
};
