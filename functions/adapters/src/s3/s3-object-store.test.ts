import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createTestBucket, type TestBucket } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from './s3-client.js';
import { createS3ObjectSource } from './s3-object-source.js';
import { createS3ObjectWriter } from './s3-object-writer.js';

describe('S3 object source and writer (s3rver)', () => {
  let target: TestBucket;
  beforeAll(async () => {
    target = await createTestBucket();
  });

  const readBack = async (key: string): Promise<string | undefined> => {
    const output = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    return output.Body?.transformToString();
  };

  it('streams an object in several chunks whose bytes are the object', async () => {
    // Prepare: 3 MiB, far more than one socket read
    const bytes = Buffer.alloc(3 * 1024 * 1024, 'user_id,amount\n');
    const { ETag } = await target.s3.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: 'inbox/big.csv', Body: bytes }),
    );

    // Act
    const opened = await createS3ObjectSource(target.s3).open({
      bucket: target.bucket,
      key: 'inbox/big.csv',
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of opened?.body ?? []) chunks.push(chunk);

    // Assess
    expect(opened?.size).toBe(bytes.length);
    expect(opened?.etag).toBe(ETag?.replaceAll('"', ''));
    expect(opened?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('opens a missing object as null rather than throwing', async () => {
    const opened = await createS3ObjectSource(target.s3).open({
      bucket: target.bucket,
      key: 'inbox/gone.csv',
    });
    expect(opened).toBeNull();
  });

  it('puts a whole object with its content type', async () => {
    // Act
    await createS3ObjectWriter(target.s3).put(
      { bucket: target.bucket, key: 'processed/a.json' },
      '{"a":1}',
      'application/json',
    );

    // Assess
    const head = await target.s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: 'processed/a.json' }),
    );
    expect(head.ContentType).toBe('application/json');
    expect(await readBack('processed/a.json')).toBe('{"a":1}');
  });

  it('streams a small upload as one object once completed', async () => {
    // Prepare
    const upload = createS3ObjectWriter(target.s3).open(
      { bucket: target.bucket, key: 'rejected/small.csv' },
      'text/csv',
    );

    // Act
    await upload.write('line,row\n');
    await upload.write('2,"x"\n');
    await upload.complete();

    // Assess
    expect(await readBack('rejected/small.csv')).toBe('line,row\n2,"x"\n');
  });

  it('streams an upload larger than one part as a multipart upload, byte for byte', async () => {
    // Prepare: 12 MiB in 64 KiB pieces, so three parts of 5 MiB; the commands sent are recorded
    const s3 = createS3Client({
      endpoint: target.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const commands: string[] = [];
    s3.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize' },
    );
    const upload = createS3ObjectWriter(s3).open(
      { bucket: target.bucket, key: 'rejected/large.csv' },
      'text/csv',
    );
    const piece = `${'x'.repeat(64 * 1024 - 1)}\n`;

    // Act
    for (let i = 0; i < 192; i += 1) await upload.write(piece);
    await upload.complete();

    // Assess
    const head = await target.s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: 'rejected/large.csv' }),
    );
    expect(head.ContentLength).toBe(192 * piece.length);
    expect(commands).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'UploadPartCommand',
      'CompleteMultipartUploadCommand',
    ]);
    expect(await readBack('rejected/large.csv')).toBe(piece.repeat(192));
  });

  it('leaves no object behind when an upload is aborted', async () => {
    // Prepare
    const upload = createS3ObjectWriter(target.s3).open(
      { bucket: target.bucket, key: 'rejected/aborted.csv' },
      'text/csv',
    );
    await upload.write('line,row\n');

    // Act
    await upload.abort();

    // Assess
    await expect(readBack('rejected/aborted.csv')).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('removes an object, and removing a missing one is not an error', async () => {
    // Prepare
    const writer = createS3ObjectWriter(target.s3);
    await writer.put({ bucket: target.bucket, key: 'rejected/old.csv' }, 'stale', 'text/csv');

    // Act
    await writer.remove({ bucket: target.bucket, key: 'rejected/old.csv' });
    await writer.remove({ bucket: target.bucket, key: 'rejected/never.csv' });

    // Assess
    await expect(readBack('rejected/old.csv')).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('reports a missing bucket as a permanent store error', async () => {
    const outcome = createS3ObjectWriter(target.s3).put(
      { bucket: 'no-such-bucket', key: 'k' },
      'x',
      'text/plain',
    );
    await expect(outcome).rejects.toMatchObject({ name: 'PermanentStoreError', retryable: false });
  });
});
